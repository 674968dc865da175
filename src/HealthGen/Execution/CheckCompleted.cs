namespace HealthGen.Execution;

/// <summary>An execution of <paramref name="slot"/>'s check ended with <paramref name="result"/>; <paramref name="previous"/> is the status before it.</summary>
internal delegate void CheckCompleted(CheckSlot slot, in CheckResult result, HealthStatus? previous);
