namespace HealthGen.Hosting;

/// <summary>Present in the container once <c>AddHealthGen</c> ran, so <c>MapHealthGen</c> can say what is missing.</summary>
internal sealed class HealthGenMarkerService;
