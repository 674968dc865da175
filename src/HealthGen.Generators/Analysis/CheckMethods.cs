using System.Collections.Generic;
using System.Threading;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HealthGen.Generators.Analysis;

/// <summary>Small helpers the analyzers share: what to call a check in a message and where to put the squiggle.</summary>
internal static class CheckMethods
{
    /// <summary>The check's name as people see it in responses (the first attribute's effective name).</summary>
    public static string DisplayName(IMethodSymbol method, List<(AttributeData Attribute, ProbeSpec Probe)> attributes)
        => attributes.Count > 0 ? CheckRules.EffectiveName(attributes[0].Attribute, method.Name) : method.Name;

    /// <summary>The method's name token, where method-level diagnostics go.</summary>
    public static Location IdentifierLocation(IMethodSymbol method)
        => method.Locations.Length > 0 ? method.Locations[0] : Location.None;

    /// <summary>The attribute's name (<c>LivenessCheck</c> in <c>[LivenessCheck("x")]</c>), or the method if the attribute has no syntax.</summary>
    public static Location AttributeNameLocation(AttributeData attribute, IMethodSymbol method, CancellationToken cancellationToken)
        => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax
            ? syntax.Name.GetLocation()
            : IdentifierLocation(method);

    /// <summary>
    /// The expression a problem is about: the positional name, or the value of a named argument (TimeoutMs, DependsOn …);
    /// with an <paramref name="index"/>, that entry of the DependsOn array. <see langword="null"/> when not written.
    /// </summary>
    public static Location? ArgumentLocation(AttributeData attribute, AttributeArgument argument, int index, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments })
        {
            return null;
        }

        foreach (AttributeArgumentSyntax candidate in arguments.Arguments)
        {
            string? assigned = candidate.NameEquals?.Name.Identifier.ValueText;
            bool matches = argument == AttributeArgument.Name
                ? assigned is null && (candidate.NameColon is null || candidate.NameColon.Name.Identifier.ValueText == "name")
                : assigned == argument.ToString();
            if (matches)
            {
                return (index >= 0 ? Entry(candidate.Expression, index) : null)?.GetLocation() ?? candidate.Expression.GetLocation();
            }
        }

        return null;
    }

    /// <summary>The whole named argument <c>Name = value</c> as written, or <see langword="null"/>.</summary>
    public static AttributeArgumentSyntax? NamedArgument(AttributeData attribute, string name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } arguments })
        {
            foreach (AttributeArgumentSyntax candidate in arguments.Arguments)
            {
                if (candidate.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Entry <paramref name="index"/> of <c>new[] { … }</c>, <c>new string[] { … }</c> or <c>[ … ]</c>.</summary>
    private static ExpressionSyntax? Entry(ExpressionSyntax array, int index)
    {
        SeparatedSyntaxList<ExpressionSyntax>? entries = array switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
            ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
            _ => null,
        };
        if (entries is { } list)
        {
            return index < list.Count ? list[index] : null;
        }

        return array is CollectionExpressionSyntax collection && index < collection.Elements.Count && collection.Elements[index] is ExpressionElementSyntax element
            ? element.Expression
            : null;
    }

    /// <summary>The probe as its path names it, and the kind for resolvers: <c>readyz</c>, <c>resolversz (ldapresolver)</c>.</summary>
    public static string ProbePath(ProbeSpec probe, string? kind) => probe switch
    {
        ProbeSpec.Liveness => "livez",
        ProbeSpec.Readiness => "readyz",
        ProbeSpec.Startup => "startupz",
        _ => $"resolversz ({kind})",
    };

    public static string AttributeDisplayName(ProbeSpec probe) => probe switch
    {
        ProbeSpec.Liveness => "LivenessCheck",
        ProbeSpec.Readiness => "ReadinessCheck",
        ProbeSpec.Startup => "StartupCheck",
        _ => "ResolverCheck",
    };

    public static string ProbeDisplayName(ProbeSpec probe) => probe switch
    {
        ProbeSpec.Liveness => "liveness",
        ProbeSpec.Readiness => "readiness",
        ProbeSpec.Startup => "startup",
        _ => "resolver",
    };
}
