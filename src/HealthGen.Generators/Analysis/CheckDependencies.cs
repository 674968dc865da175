using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analysis;

/// <summary>
/// The checks an application composes — its own and those its references declare — grouped as dependencies resolve:
/// by probe, and for resolvers by kind. HG0010 asks whether a name exists in a group; HG0011 looks for the shortest
/// cycle through a check. Built once at compilation end from what the analyzers collected.
/// </summary>
internal sealed class CheckDependencies
{
    /// <summary>
    /// What HG0010 and HG0011 share (their Initialize configures generated code and concurrency first): at compilation start, the referenced declarations (read once); for every method,
    /// its checks; at compilation end — only if some check has dependencies — the checks in source order (so a name
    /// declared twice merges its dependencies the same way every build) and their <see cref="CheckDependencies"/>.
    /// </summary>
    public static void RegisterAnalysis(AnalysisContext context, Action<CompilationAnalysisContext, CheckDependencies, IReadOnlyList<DependentCheck>> analyze)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(ReferencedChecks.DeclarationAttribute) is null)
            {
                return; // no HealthGen runtime: no checks
            }

            ImmutableArray<CheckDeclaration> referenced = ReferencedChecks.Of(start.Compilation, start.CancellationToken);
            var checks = new ConcurrentBag<DependentCheck>();
            start.RegisterSymbolAction(symbol =>
            {
                foreach (DependentCheck check in DependentCheck.Of((IMethodSymbol)symbol.Symbol, symbol.CancellationToken))
                {
                    checks.Add(check);
                }
            }, SymbolKind.Method);

            start.RegisterCompilationEndAction(end =>
            {
                if (!checks.Any(static c => c.DependsOn.Length > 0))
                {
                    return;
                }

                List<DependentCheck> ordered = checks
                    .OrderBy(static c => c.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                    .ThenBy(static c => c.Location.SourceSpan.Start)
                    .ToList();
                analyze(end, new CheckDependencies(ordered, referenced), ordered);
            });
        });
    }

    private readonly Dictionary<(ProbeSpec Probe, string? Kind), Dictionary<string, Node>> _groups = [];

    public CheckDependencies(IEnumerable<DependentCheck> own, ImmutableArray<CheckDeclaration> referenced)
    {
        foreach (DependentCheck check in own)
        {
            Node node = NodeOf(check.Probe, check.Kind, check.Name);
            node.IsOwn = true;
            foreach (Dependency dependency in check.DependsOn)
            {
                node.DependsOn.Add(dependency.Name);
            }
        }

        foreach (CheckDeclaration declaration in referenced)
        {
            Node node = NodeOf(declaration.Probe, declaration.Kind, declaration.Name);
            node.Assembly ??= declaration.Assembly;
            foreach (string dependency in declaration.DependsOn)
            {
                node.DependsOn.Add(dependency);
            }
        }
    }

    /// <summary>Whether the group of <paramref name="probe"/> (and <paramref name="kind"/>) has a check named <paramref name="name"/>.</summary>
    public bool Has(ProbeSpec probe, string? kind, string name)
        => _groups.TryGetValue((probe, kind), out Dictionary<string, Node>? group) && group.ContainsKey(name);

    /// <summary>
    /// The shortest cycle through <paramref name="check"/>, breadth-first from its own dependencies in the order written:
    /// the names from the check back to it (<c>a, b, a</c>). Unknown names (HG0010's) end a path. <see langword="null"/>
    /// when the check is on no cycle.
    /// </summary>
    public List<string>? CycleThrough(DependentCheck check)
    {
        if (!_groups.TryGetValue((check.Probe, check.Kind), out Dictionary<string, Node>? group))
        {
            return null;
        }

        // Each reached name and the name it was reached from; the check itself is the start and is never entered.
        var reachedFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (Dependency dependency in check.DependsOn)
        {
            if (group.ContainsKey(dependency.Name) && !reachedFrom.ContainsKey(dependency.Name))
            {
                reachedFrom[dependency.Name] = check.Name;
                queue.Enqueue(dependency.Name);
            }
        }

        while (queue.Count > 0)
        {
            string current = queue.Dequeue();
            foreach (string next in group[current].DependsOn)
            {
                if (next == check.Name)
                {
                    return Path(reachedFrom, check.Name, current);
                }

                if (group.ContainsKey(next) && !reachedFrom.ContainsKey(next))
                {
                    reachedFrom[next] = current;
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The cycle as a message shows it: <c>a → b (from Lib) → a</c>, a check only a referenced assembly declares labelled
    /// with that assembly.
    /// </summary>
    public string Describe(DependentCheck check, List<string> cycle)
    {
        Dictionary<string, Node> group = _groups[(check.Probe, check.Kind)];
        var labels = new List<string>(cycle.Count);
        foreach (string name in cycle)
        {
            labels.Add(group[name] is { IsOwn: false, Assembly: { } assembly } ? $"{name} (from {assembly})" : name);
        }

        return string.Join(" → ", labels);
    }

    private static List<string> Path(Dictionary<string, string> reachedFrom, string start, string last)
    {
        var path = new List<string>();
        for (string name = last; name != start; name = reachedFrom[name])
        {
            path.Add(name);
        }

        path.Add(start);
        path.Reverse();
        path.Add(start);
        return path;
    }

    private Node NodeOf(ProbeSpec probe, string? kind, string name)
    {
        if (!_groups.TryGetValue((probe, kind), out Dictionary<string, Node>? group))
        {
            _groups[(probe, kind)] = group = new Dictionary<string, Node>(StringComparer.Ordinal);
        }

        if (!group.TryGetValue(name, out Node? node))
        {
            group[name] = node = new Node();
        }

        return node;
    }

    /// <summary>
    /// One name of a group. A name declared more than once (HG0004's problem) is one node with every declarer's
    /// dependencies, so a cycle through any of them is found.
    /// </summary>
    private sealed class Node
    {
        public List<string> DependsOn { get; } = [];

        public bool IsOwn { get; set; }

        public string? Assembly { get; set; }
    }
}
