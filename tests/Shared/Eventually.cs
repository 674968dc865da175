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
        for (int i = 0; i < 6000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
