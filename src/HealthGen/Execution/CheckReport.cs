namespace HealthGen.Execution;

/// <summary>
/// A check and its result, as a response lists it; an excluded check did not run. The details endpoint adds the
/// check's latest transitions (<see cref="History"/>).
/// </summary>
internal readonly record struct CheckReport(HealthCheckRegistration Check, CheckResult Result, bool Excluded = false, CheckTransition[]? History = null);
