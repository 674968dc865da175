using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Model;

/// <summary>Mirrors <c>HealthGen.ProbeKind</c>; the emitted code uses the runtime enum's member names.</summary>
internal enum ProbeSpec
{
    Liveness = 0,
    Readiness = 1,
    Startup = 2,
    Resolver = 3,
}

/// <summary>The supported return shapes of a check method (design.md §2).</summary>
internal enum ReturnShape
{
    Void,
    Boolean,
    HealthResult,
    Task,
    TaskOfBoolean,
    TaskOfHealthResult,
    ValueTask,
    ValueTaskOfBoolean,
    ValueTaskOfHealthResult,
}

/// <summary>
/// One check, as the emitter needs it: strings, numbers and enums only (no symbols or syntax), so the
/// pipeline can compare it by value and skip emitting when nothing relevant changed.
/// </summary>
/// <param name="Probe">The probe the attribute puts the check in.</param>
/// <param name="Name">The validated check name.</param>
/// <param name="Kind">The resolver kind, for resolver checks.</param>
/// <param name="TimeoutMs">The attribute's TimeoutMs, or -1 when not given.</param>
/// <param name="CacheMs">The attribute's CacheMs, or -1 when not given.</param>
/// <param name="ContainingType">The declaring type, fully qualified with <c>global::</c>.</param>
/// <param name="MethodName">The method's name (unescaped).</param>
/// <param name="Returns">The return shape.</param>
/// <param name="Parameters">How each argument is supplied.</param>
/// <param name="Instance">How the target object is obtained; <see langword="null"/> for static methods.</param>
internal sealed record CheckSpec(
    ProbeSpec Probe,
    string Name,
    string? Kind,
    int TimeoutMs,
    int CacheMs,
    string ContainingType,
    string MethodName,
    ReturnShape Returns,
    EquatableArray<ArgumentSpec> Parameters,
    InstanceSpec? Instance);

/// <summary>Where an argument comes from.</summary>
internal enum ArgumentSource
{
    /// <summary>The execution's CancellationToken.</summary>
    CancellationToken,

    /// <summary>The execution scope's IServiceProvider itself.</summary>
    ServiceProvider,

    /// <summary><c>GetRequiredService&lt;T&gt;()</c>.</summary>
    RequiredService,

    /// <summary><c>GetService&lt;T&gt;()</c> (nullable parameter or <c>= null</c> default).</summary>
    OptionalService,

    /// <summary><c>GetRequiredKeyedService&lt;T&gt;(key)</c>.</summary>
    RequiredKeyedService,

    /// <summary><c>GetKeyedService&lt;T&gt;(key)</c>.</summary>
    OptionalKeyedService,
}

/// <summary>One argument of a check method or of a constructor the generated code calls.</summary>
/// <param name="Source">Where the value comes from.</param>
/// <param name="Type">The parameter type, fully qualified, without nullable annotation.</param>
/// <param name="Name">The parameter name (unescaped).</param>
/// <param name="ServiceKey">The key as a C# expression, for keyed services.</param>
internal sealed record ArgumentSpec(ArgumentSource Source, string Type, string Name, string? ServiceKey);

/// <summary>How the generated code cleans up an instance it created itself.</summary>
internal enum DisposeShape
{
    None,
    Dispose,
    DisposeAsync,
}

/// <summary>
/// How an instance check gets its object: from DI when registered there, else constructed with its
/// single public constructor (when it has a usable one) and disposed after the execution.
/// </summary>
/// <param name="ConstructorParameters">The constructor's arguments, or <see langword="null"/> when the type
/// must come from DI (abstract, or no single usable public constructor).</param>
/// <param name="Dispose">How a constructed instance is disposed.</param>
internal sealed record InstanceSpec(EquatableArray<ArgumentSpec>? ConstructorParameters, DisposeShape Dispose);

/// <summary>Facts about the compilation the emitter needs, cheap to compute on every edit.</summary>
/// <param name="AssemblyName">The compilation's assembly name.</param>
/// <param name="HasRuntime">Whether the HealthGen runtime is referenced (nothing is emitted otherwise).</param>
/// <param name="HasAspNetCore">Whether endpoint routing is referenced (MapHealthGen is emitted only then).</param>
/// <param name="ReferencedCatalogs">Generated catalogs of referenced assemblies, fully qualified, sorted.</param>
/// <param name="HasHealthChecks">Whether Microsoft.Extensions.Diagnostics.HealthChecks is referenced (AddHealthGenChecks is emitted only then).</param>
internal sealed record CompilationFacts(string AssemblyName, bool HasRuntime, bool HasAspNetCore, EquatableArray<CatalogReference> ReferencedCatalogs, bool HasHealthChecks = false);

/// <summary>A referenced assembly's generated catalog.</summary>
internal sealed record CatalogReference(string AssemblyName, string CatalogType);

/// <summary>Everything one generator run emits from.</summary>
internal sealed record GenerationSpec(CompilationFacts Compilation, EquatableArray<CheckSpec> Checks);
