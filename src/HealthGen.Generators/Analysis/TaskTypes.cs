using HealthGen.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Analysis;

/// <summary>Recognizes the task and awaiter types the blocking-wait and cancellation analyzers look at.</summary>
internal static class TaskTypes
{
    private const string Tasks = "System.Threading.Tasks";

    public static bool IsTaskLike(ITypeSymbol? type)
        => type is not null && (type.OriginalDefinition.Is(Tasks, "Task") || type.OriginalDefinition.Is(Tasks, "Task", 1)
            || type.OriginalDefinition.Is(Tasks, "ValueTask") || type.OriginalDefinition.Is(Tasks, "ValueTask", 1));

    public static bool IsCancellationToken(ITypeSymbol? type) => type.Is("System.Threading", "CancellationToken");

    /// <summary>TaskAwaiter, ValueTaskAwaiter and the configured awaiters, which are nested types.</summary>
    public static bool IsAwaiter(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        INamedTypeSymbol outermost = named;
        while (outermost.ContainingType is not null)
        {
            outermost = outermost.ContainingType;
        }

        return outermost.ContainingNamespace.IsNamespace("System.Runtime.CompilerServices")
            && (named.Name.EndsWith("Awaiter", System.StringComparison.Ordinal));
    }
}
