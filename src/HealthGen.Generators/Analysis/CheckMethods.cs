using System.Collections.Generic;
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
    public static Location AttributeNameLocation(AttributeData attribute, IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
        => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax
            ? syntax.Name.GetLocation()
            : IdentifierLocation(method);

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
