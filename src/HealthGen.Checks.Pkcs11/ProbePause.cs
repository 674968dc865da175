using System;
using System.Threading;

namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// What <see cref="Pkcs11Token.PauseProbes"/> returns: probes stay out of the module until it is disposed.
/// Disposing it again does nothing, so a double dispose cannot let a second pause's probes in early.
/// </summary>
internal sealed class ProbePause(Pkcs11Module module) : IDisposable
{
    private int _resumed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _resumed, 1) == 0)
        {
            module.Resume();
        }
    }
}
