namespace HealthGen.Generators.Model;

/// <summary>Where an argument comes from.</summary>
internal enum ArgumentSource
{
    /// <summary>The execution's CancellationToken.</summary>
    CancellationToken,

    /// <summary>The execution scope's IServiceProvider itself.</summary>
    ServiceProvider,

    /// <summary><c>GetRequiredService&lt;T&gt;()</c>.</summary>
    RequiredService,

    /// <summary><c>GetService&lt;T&gt;()</c> (nullable parameter or <c>= null</c> default).</summary>
    OptionalService,

    /// <summary><c>GetRequiredKeyedService&lt;T&gt;(key)</c>.</summary>
    RequiredKeyedService,

    /// <summary><c>GetKeyedService&lt;T&gt;(key)</c>.</summary>
    OptionalKeyedService,
}
