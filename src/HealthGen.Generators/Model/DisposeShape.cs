namespace HealthGen.Generators.Model;

/// <summary>How the generated code cleans up an instance it created itself.</summary>
internal enum DisposeShape
{
    None,
    Dispose,
    DisposeAsync,
}
