using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Model;

/// <summary>
/// One check, as the emitter needs it: strings, numbers and enums only (no symbols or syntax), so the
/// pipeline can compare it by value and skip emitting when nothing relevant changed.
/// </summary>
/// <param name="Probe">The probe the attribute puts the check in.</param>
/// <param name="Name">The validated check name.</param>
/// <param name="Kind">The resolver kind, for resolver checks.</param>
/// <param name="TimeoutMs">The attribute's TimeoutMs, or -1 when not given.</param>
/// <param name="CacheMs">The attribute's CacheMs, or -1 when not given.</param>
/// <param name="PeriodMs">The attribute's PeriodMs: greater than zero for a background check, else 0.</param>
/// <param name="FailureThreshold">Consecutive failures before the check is reported failing (1 unless given).</param>
/// <param name="DependsOn">The names of the checks it depends on, as written (validated: HG0008).</param>
/// <param name="ContainingType">The declaring type, fully qualified with <c>global::</c>.</param>
/// <param name="MethodName">The method's name (unescaped).</param>
/// <param name="Returns">The return shape.</param>
/// <param name="Parameters">How each argument is supplied.</param>
/// <param name="Instance">How the target object is obtained; <see langword="null"/> for static methods.</param>
/// <param name="Invocation">How the runtime calls it (inline, isolated, isolated without a scope).</param>
internal sealed record CheckSpec(
    ProbeSpec Probe,
    string Name,
    string? Kind,
    int TimeoutMs,
    int CacheMs,
    int PeriodMs,
    int FailureThreshold,
    EquatableArray<string> DependsOn,
    string ContainingType,
    string MethodName,
    ReturnShape Returns,
    EquatableArray<ArgumentSpec> Parameters,
    InstanceSpec? Instance,
    InvocationSpec Invocation);
