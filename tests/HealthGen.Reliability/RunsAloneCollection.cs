using Xunit;

namespace HealthGen.Reliability;

/// <summary>
/// Tests that measure a process over time run after every other test of the assembly, one at a time: the other tests
/// start and kill servers and load the machine in bursts, and the soak's figures (requests served, memory) should be
/// the service's own, not its neighbours'.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "Runs alone";
}
