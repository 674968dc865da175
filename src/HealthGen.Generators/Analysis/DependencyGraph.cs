using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HealthGen.Generators.Analysis;

/// <summary>What a method touches directly, and which methods in source it calls.</summary>
internal sealed record MethodSummary(string? DirectDependency, ImmutableArray<IMethodSymbol> Callees)
{
    public static readonly MethodSummary Empty = new(null, ImmutableArray<IMethodSymbol>.Empty);
}

/// <summary>A path from a check to an external dependency, e.g. NpgsqlConnection.OpenAsync via Probes.Process → Db.Ping.</summary>
internal sealed record DependencyPath(string Dependency, ImmutableArray<string> Methods)
{
    public string Via => string.Join(" → ", Methods);
}

/// <summary>
/// Finds whether a method reaches an external dependency, directly or through methods it calls that are
/// defined in this compilation (interface and virtual calls follow their implementations in source).
/// Each method's body is summarized once per compilation and cached; the search is breadth-first, so the
/// reported path is a shortest one, bounded in depth and safe against recursion.
/// </summary>
internal sealed class DependencyGraph(Compilation compilation, ExternalDependencies dependencies)
{
    public const int MaxDepth = 8;

    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private Dictionary<IMethodSymbol, List<IMethodSymbol>>? _implementations;
    private readonly object _implementationsGate = new();

    /// <summary>The shortest path from <paramref name="root"/> (whose body is <paramref name="rootBody"/>) to a dependency.</summary>
    public DependencyPath? Find(IMethodSymbol root, ImmutableArray<IOperation> rootBody, CancellationToken cancellationToken)
    {
        string? viaParameter = ParameterDependency(root);
        MethodSummary rootSummary = Summarize(rootBody, cancellationToken);
        string? direct = viaParameter ?? rootSummary.DirectDependency;
        if (direct is not null)
        {
            return new DependencyPath(direct, [Display(root)]);
        }

        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { root.OriginalDefinition };
        var frontier = new Queue<(IMethodSymbol Method, ImmutableArray<string> Path)>();
        Enqueue(rootSummary.Callees, [Display(root)]);
        while (frontier.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (IMethodSymbol method, ImmutableArray<string> path) = frontier.Dequeue();
            MethodSummary summary = SummaryOf(method, cancellationToken);
            if (summary.DirectDependency is { } dependency)
            {
                return new DependencyPath(dependency, path);
            }

            if (path.Length < MaxDepth)
            {
                Enqueue(summary.Callees, path);
            }
        }

        return null;

        void Enqueue(ImmutableArray<IMethodSymbol> callees, ImmutableArray<string> pathSoFar)
        {
            foreach (IMethodSymbol callee in callees)
            {
                if (visited.Add(callee.OriginalDefinition))
                {
                    frontier.Enqueue((callee, pathSoFar.Add(Display(callee))));
                }
            }
        }
    }

    private string? ParameterDependency(IMethodSymbol method)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (dependencies.Match(parameter.Type) is { } dependency)
            {
                return $"{dependency} (parameter '{parameter.Name}')";
            }
        }

        return null;
    }

    private MethodSummary SummaryOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        IMethodSymbol key = method.OriginalDefinition;
        if (_summaries.TryGetValue(key, out MethodSummary? cached))
        {
            return cached;
        }

        var bodies = ImmutableArray.CreateBuilder<IOperation>();
        IMethodSymbol implementation = key.PartialImplementationPart ?? key;
        foreach (SyntaxReference reference in implementation.DeclaringSyntaxReferences)
        {
            SyntaxNode node = reference.GetSyntax(cancellationToken);
            if (ModelFor(node.SyntaxTree).GetOperation(node, cancellationToken) is { } body)
            {
                bodies.Add(body);
            }
        }

        return _summaries.GetOrAdd(key, Summarize(bodies.ToImmutable(), cancellationToken));
    }

    /// <summary>Walks a body once: the first dependency it touches (in source order) and the source methods it calls.</summary>
    private MethodSummary Summarize(ImmutableArray<IOperation> bodies, CancellationToken cancellationToken)
    {
        var callees = new List<IMethodSymbol>();
        foreach (IOperation body in bodies)
        {
            foreach (IOperation operation in body.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Touches(operation, callees) is { } dependency)
                {
                    return new MethodSummary(dependency, ImmutableArray<IMethodSymbol>.Empty);
                }
            }
        }

        return new MethodSummary(null, callees.Distinct<IMethodSymbol>(SymbolEqualityComparer.Default).ToImmutableArray());
    }

    /// <summary>The dependency an operation touches, else records the source methods it would run.</summary>
    private string? Touches(IOperation operation, List<IMethodSymbol> callees)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return Calls(invocation.TargetMethod, invocation.Instance?.Type, callees);
            case IMethodReferenceOperation reference:
                return Calls(reference.Method, reference.Instance?.Type, callees);
            case IObjectCreationOperation creation:
                if (dependencies.Match(creation.Type) is { } created)
                {
                    return $"new {created}";
                }

                AddCallee(creation.Constructor, callees);
                return null;
            case IPropertyReferenceOperation property:
                if ((dependencies.Match(property.Instance?.Type) ?? dependencies.Match(property.Property.ContainingType)) is { } owner)
                {
                    return $"{owner}.{property.Property.Name}";
                }

                if (dependencies.Match(property.Property.Type) is { } propertyType)
                {
                    return $"{propertyType} (property {property.Property.ContainingType.Name}.{property.Property.Name})";
                }

                AddCallee(property.Property.GetMethod, callees);
                return null;
            case IParameterReferenceOperation parameter:
                // Parameters of the method itself are reported with the signature; this catches the captured
                // parameters of a primary constructor and parameters of the methods the check calls.
                return dependencies.Match(parameter.Parameter.Type) is { } parameterType
                    ? $"{parameterType} (parameter '{parameter.Parameter.Name}')"
                    : null;
            case IFieldReferenceOperation field:
                return dependencies.Match(field.Field.Type) is { } fieldType
                    ? $"{fieldType} (field {field.Field.ContainingType.Name}.{field.Field.Name})"
                    : null;
            default:
                return null;
        }
    }

    private string? Calls(IMethodSymbol method, ITypeSymbol? receiver, List<IMethodSymbol> callees)
    {
        if (dependencies.IsMarked(method))
        {
            return $"{method.ContainingType.Name}.{method.Name}";
        }

        string? owner = dependencies.Match(receiver) ?? dependencies.Match(method.ContainingType)
            ?? (method.IsExtensionMethod ? dependencies.Match((method.ReducedFrom ?? method).Parameters.FirstOrDefault()?.Type) : null);
        if (owner is not null)
        {
            return $"{owner}.{method.Name}";
        }

        AddCallee(method, callees);
        return null;
    }

    private void AddCallee(IMethodSymbol? method, List<IMethodSymbol> callees)
    {
        if (method is null || method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
        {
            return; // their bodies are part of the operation tree being walked already
        }

        method = method.ReducedFrom ?? method;
        if (IsInSource(method) && !method.IsAbstract)
        {
            callees.Add(method);
        }

        if (method.IsAbstract || method.IsVirtual || method.IsOverride || method.ContainingType.TypeKind == TypeKind.Interface)
        {
            callees.AddRange(ImplementationsOf(method.OriginalDefinition));
        }
    }

    private bool IsInSource(IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly) && !method.DeclaringSyntaxReferences.IsEmpty;

    /// <summary>Implementations and overrides in source, indexed once per compilation on first need.</summary>
    private List<IMethodSymbol> ImplementationsOf(IMethodSymbol method)
    {
        if (_implementations is null)
        {
            lock (_implementationsGate)
            {
                _implementations ??= IndexImplementations();
            }
        }

        return _implementations.TryGetValue(method, out List<IMethodSymbol>? found) ? found : [];
    }

    private Dictionary<IMethodSymbol, List<IMethodSymbol>> IndexImplementations()
    {
        var index = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        void Add(IMethodSymbol declared, IMethodSymbol implementation)
        {
            if (!index.TryGetValue(declared.OriginalDefinition, out List<IMethodSymbol>? list))
            {
                index[declared.OriginalDefinition] = list = [];
            }

            list.Add(implementation);
        }

        var types = new Stack<INamespaceOrTypeSymbol>();
        types.Push(compilation.Assembly.GlobalNamespace);
        while (types.Count > 0)
        {
            INamespaceOrTypeSymbol current = types.Pop();
            foreach (INamespaceOrTypeSymbol member in current.GetMembers().OfType<INamespaceOrTypeSymbol>())
            {
                types.Push(member);
            }

            if (current is not INamedTypeSymbol type || type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                continue;
            }

            foreach (INamedTypeSymbol implemented in type.AllInterfaces)
            {
                foreach (IMethodSymbol interfaceMethod in implemented.GetMembers().OfType<IMethodSymbol>())
                {
                    if (type.FindImplementationForInterfaceMember(interfaceMethod) is IMethodSymbol implementation && IsInSource(implementation))
                    {
                        Add(interfaceMethod, implementation);
                    }
                }
            }

            foreach (IMethodSymbol method in type.GetMembers().OfType<IMethodSymbol>())
            {
                for (IMethodSymbol? overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    Add(overridden, method);
                }
            }
        }

        return index;
    }

    // Interprocedural analysis has to look at the bodies of methods other than the one being analyzed, and
    // only the compilation can give their semantic models. Each tree's model is created once and cached.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
    private SemanticModel ModelFor(SyntaxTree tree) => _models.GetOrAdd(tree, t => compilation.GetSemanticModel(t));
#pragma warning restore RS1030

    private static string Display(IMethodSymbol method)
        => method.MethodKind == MethodKind.Constructor
            ? $"new {method.ContainingType.Name}"
            : $"{method.ContainingType.Name}.{method.Name}";
}
