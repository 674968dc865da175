namespace HealthGen;

/// <summary>How the runtime calls a check. The source generator chooses it from the method's signature.</summary>
public enum CheckInvocation
{
    /// <summary>
    /// On the thread pool, in its own DI scope, under its timeout: a check that blocks or ignores its token
    /// costs a thread, never the probe's answer. Every check that is asynchronous, takes a parameter or is an
    /// instance method runs this way.
    /// </summary>
    Isolated = 0,

    /// <summary>
    /// Directly on the request's thread, without a scope or a timer: for static, synchronous methods without
    /// parameters, which have no services to scope and no token to honour, so a thread-pool hop would only add
    /// cost. Such a check cannot be abandoned: if it blocks, its own request waits for it (requests that join
    /// it still answer at the timeout), and a result that took longer than the timeout counts as timed out.
    /// </summary>
    Inline = 1,

    /// <summary>
    /// Like <see cref="Isolated"/> — on the thread pool, under its timeout — but without a DI scope: for static
    /// methods whose only parameter, if any, is the <see cref="System.Threading.CancellationToken"/>, which take
    /// nothing from the service provider, so a scope would be created and disposed for nothing.
    /// </summary>
    IsolatedWithoutScope = 2,
}
