using System;

namespace HealthGen.Execution;

/// <summary>A check's raw status changed (or it got its first result) at <paramref name="At"/>, UTC: one entry of its history on the details endpoint.</summary>
internal readonly record struct CheckTransition(HealthStatus Status, DateTimeOffset At);
