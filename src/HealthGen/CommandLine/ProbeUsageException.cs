using System;

namespace HealthGen;

/// <summary>Bad arguments to <c>probe</c>: the usage is printed and the probe exits 2.</summary>
internal sealed class ProbeUsageException(string message) : Exception(message);
