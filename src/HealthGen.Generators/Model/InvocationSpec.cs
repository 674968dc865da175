namespace HealthGen.Generators.Model;

/// <summary>Mirrors <c>HealthGen.CheckInvocation</c>; the emitted code uses the runtime enum's member names.</summary>
internal enum InvocationSpec
{
    /// <summary>On the thread pool, in its own DI scope, under its timeout.</summary>
    Isolated = 0,

    /// <summary>On the request's thread: static, synchronous, no parameters (no services to scope, no token to honour).</summary>
    Inline = 1,

    /// <summary>Isolated without a DI scope: static, and its only parameter, if any, is the CancellationToken.</summary>
    IsolatedWithoutScope = 2,
}
