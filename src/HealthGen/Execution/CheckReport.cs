namespace HealthGen.Execution;

/// <summary>A check and its result, as a response lists it; an excluded check did not run.</summary>
internal readonly record struct CheckReport(HealthCheckRegistration Check, CheckResult Result, bool Excluded = false);
