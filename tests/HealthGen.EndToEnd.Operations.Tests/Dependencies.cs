using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace HealthGen.EndToEnd.Operations.Tests;

/// <summary>What the checks of this application look at, set by each test: which dependencies are up, and how often each check ran.</summary>
public sealed class Dependencies
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public volatile bool DatabaseUp = true;

    public volatile bool PaymentsUp = true;

    /// <summary>Closed: the search index check waits (ignoring its token) until it opens.</summary>
    public ManualResetEventSlim SearchIndexAnswers { get; } = new(initialState: true);

    public int Runs(string check) => _runs.GetValueOrDefault(check);

    public void Ran(string check) => _runs.AddOrUpdate(check, 1, static (_, runs) => runs + 1);
}
