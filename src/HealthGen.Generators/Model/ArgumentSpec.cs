namespace HealthGen.Generators.Model;

/// <summary>One argument of a check method or of a constructor the generated code calls.</summary>
/// <param name="Source">Where the value comes from.</param>
/// <param name="Type">The parameter type, fully qualified, without nullable annotation.</param>
/// <param name="Name">The parameter name (unescaped).</param>
/// <param name="ServiceKey">The key as a C# expression, for keyed services.</param>
internal sealed record ArgumentSpec(ArgumentSource Source, string Type, string Name, string? ServiceKey);
