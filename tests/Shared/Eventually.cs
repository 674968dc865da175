using System;
using System.Threading.Tasks;

namespace HealthGen.Testing;

/// <summary>Waiting for what another thread makes true, in tests that cannot be told when it happens.</summary>
public static class Eventually
{
    /// <summary>
    /// Waits until <paramref name="condition"/> holds, looking every 10 ms, and fails the test if it still does not
    /// after a minute. The bound only turns a hang into a failure; it is not a timing assertion.
    /// </summary>
    public static async Task WaitUntil(Func<bool> condition)
    {
        bool held = condition();
        for (int i = 0; i < 6000 && !held; i++)
        {
            await Task.Delay(10);
            held = condition();
        }

        // The evaluation that ended the wait is the verdict: evaluating again could see a later state.
        Assert.True(held, "the condition did not hold within a minute");
    }
}
