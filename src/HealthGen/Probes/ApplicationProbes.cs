using System;
using System.Threading;

namespace HealthGen.Probes;

/// <summary>
/// The application's one <see cref="HealthProbes"/>: every <c>MapHealthGen</c> (one per prefix or port, if several) and
/// the file probe share its checks' slots, so each check has one cache, one single flight and, for a background check,
/// one schedule per application.
/// </summary>
internal sealed class ApplicationProbes
{
    private readonly Lock _lock = new();
    private HealthProbes? _probes;

    public HealthProbes GetOrCreate(Func<HealthProbes> create)
    {
        lock (_lock)
        {
            return _probes ??= create();
        }
    }
}
