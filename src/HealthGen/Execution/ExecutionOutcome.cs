using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>How an isolated execution ended for its caller.</summary>
/// <param name="Result">The check's result, or a timeout.</param>
/// <param name="StillRunning">
/// The abandoned invocation, when the check passed its timeout without returning: it ends when the check finally
/// returns. A check that ignores its token holds a thread until then.
/// </param>
internal readonly record struct ExecutionOutcome(CheckResult Result, Task? StillRunning);
