using System;

namespace HealthGen;

/// <summary>
/// Thrown by a check to fail with a message for operators, without building a <see cref="HealthResult"/>
/// (the idea of flask-healthz's <c>HealthError</c>). The message is shown only on the details endpoint.
/// </summary>
public class HealthCheckException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public HealthCheckException()
    {
    }

    /// <summary>Creates the exception with a message for operators.</summary>
    public HealthCheckException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused the failure.</summary>
    public HealthCheckException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
