using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Model;

/// <summary>
/// How an instance check gets its object: from DI when registered there, else constructed with its
/// single public constructor (when it has a usable one) and disposed after the execution.
/// </summary>
/// <param name="ConstructorParameters">The constructor's arguments, or <see langword="null"/> when the type
/// must come from DI (abstract, or no single usable public constructor).</param>
/// <param name="Dispose">How a constructed instance is disposed.</param>
internal sealed record InstanceSpec(EquatableArray<ArgumentSpec>? ConstructorParameters, DisposeShape Dispose);
