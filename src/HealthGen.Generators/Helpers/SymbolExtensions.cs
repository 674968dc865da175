using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Helpers;

internal static class SymbolExtensions
{
    /// <summary>Fully qualified with <c>global::</c>, without nullable annotations: the form emitted code uses.</summary>
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    public static string ToFullyQualified(this ITypeSymbol type) => type.ToDisplayString(FullyQualified);

    /// <summary>
    /// Whether <paramref name="type"/> is <c>{ns}.{name}</c> with <paramref name="arity"/> type parameters,
    /// compared by name, so the parser needs no symbol look-ups per method.
    /// </summary>
    public static bool Is(this ITypeSymbol? type, string ns, string name, int arity = 0)
    {
        if (type is not INamedTypeSymbol named || named.Name != name || named.Arity != arity || named.ContainingType is not null)
        {
            return false;
        }

        return named.ContainingNamespace.IsNamespace(ns);
    }

    /// <summary>Whether the namespace is the dotted <paramref name="qualifiedName"/>, compared from the inside out.</summary>
    public static bool IsNamespace(this INamespaceSymbol? ns, string qualifiedName)
    {
        int end = qualifiedName.Length;
        while (end > 0)
        {
            if (ns is null || ns.IsGlobalNamespace)
            {
                return false;
            }

            int start = qualifiedName.LastIndexOf('.', end - 1) + 1;
            if (ns.Name.Length != end - start || string.CompareOrdinal(ns.Name, 0, qualifiedName, start, end - start) != 0)
            {
                return false;
            }

            ns = ns.ContainingNamespace;
            end = start - 1;
        }

        return ns is null || ns.IsGlobalNamespace;
    }

    public static bool IsAccessibleWithinAssembly(Accessibility accessibility)
        => accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    public static bool Implements(this ITypeSymbol type, string ns, string name)
    {
        if (type.Is(ns, name))
        {
            return true;
        }

        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (candidate.Is(ns, name))
            {
                return true;
            }
        }

        return false;
    }
}
