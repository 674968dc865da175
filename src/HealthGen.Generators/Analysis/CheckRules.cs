using System.Collections.Generic;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HealthGen.Generators.Analysis;

/// <summary>
/// The rules a check method must follow, in one place. The generator emits a check only when none of
/// these finds a problem; the analyzers report the problems (HG0002, HG0003, HG0005, HG0008). Sharing
/// the code is what keeps the two in agreement: a method that gets an error gets no endpoint, and a
/// method that gets an endpoint gets no error.
/// </summary>
internal static class CheckRules
{
    public const string LivenessAttribute = "HealthGen.LivenessCheckAttribute";
    public const string ReadinessAttribute = "HealthGen.ReadinessCheckAttribute";
    public const string StartupAttribute = "HealthGen.StartupCheckAttribute";
    public const string ResolverAttribute = "HealthGen.ResolverCheckAttribute";
    public const int NotSet = -1;

    /// <summary>The probe an attribute class stands for, if it is one of the four check attributes.</summary>
    public static ProbeSpec? ProbeOf(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null || !attributeClass.ContainingNamespace.IsNamespace("HealthGen") || attributeClass.ContainingType is not null)
        {
            return null;
        }

        return attributeClass.Name switch
        {
            "LivenessCheckAttribute" => ProbeSpec.Liveness,
            "ReadinessCheckAttribute" => ProbeSpec.Readiness,
            "StartupCheckAttribute" => ProbeSpec.Startup,
            "ResolverCheckAttribute" => ProbeSpec.Resolver,
            _ => null,
        };
    }

    /// <summary>Every check attribute on a method, with its probe.</summary>
    public static List<(AttributeData Attribute, ProbeSpec Probe)> CheckAttributesOf(ISymbol symbol)
    {
        var found = new List<(AttributeData, ProbeSpec)>();
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (ProbeOf(attribute.AttributeClass) is { } probe)
            {
                found.Add((attribute, probe));
            }
        }

        return found;
    }

    /// <summary>
    /// Whether the generator emits this check: no HG0002, HG0003, HG0005 or HG0008 problem, and types the
    /// compiler could resolve. HG0004 counts only such checks, exactly as the generator does.
    /// </summary>
    public static bool IsSupported(IMethodSymbol method, AttributeData attribute, ProbeSpec probe)
    {
        if (AttributeProblems(attribute, probe, method.Name).Count > 0 || SignatureProblem(method) is not null
            || ReachabilityProblem(method) is not null || ReturnShapeOf(method) is null)
        {
            return false;
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.Type.TypeKind == TypeKind.Error || ParameterProblem(parameter) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>HG0002: why the method's shape cannot be a check, or <see langword="null"/>.</summary>
    public static string? SignatureProblem(IMethodSymbol method)
    {
        if (method.IsGenericMethod)
        {
            return "a generic method cannot be called without type arguments";
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            return "an async void method cannot be awaited: return Task or ValueTask";
        }

        if (method.IsAbstract)
        {
            return "an abstract method has no body to run";
        }

        if (method.MethodKind == MethodKind.Ordinary && !method.IsStatic && !method.IsAbstract
            && (method.ContainingType.TypeKind != TypeKind.Class || method.ContainingType.IsStatic))
        {
            return "an instance check must be declared in a class";
        }

        if (ReturnShapeOf(method) is null && method.ReturnType.TypeKind != TypeKind.Error)
        {
            return $"'{method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is not a supported return type: use void, bool, HealthResult, Task, Task<bool>, Task<HealthResult>, ValueTask, ValueTask<bool> or ValueTask<HealthResult>";
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.IsParams)
            {
                return $"parameter '{parameter.Name}' is a params parameter";
            }

            if (parameter.RefKind != RefKind.None)
            {
                string modifier = parameter.RefKind switch
                {
                    RefKind.Out => "out",
                    RefKind.In => "in",
                    RefKind.Ref => "ref",
                    _ => "ref readonly",
                };
                return $"parameter '{parameter.Name}' is passed by reference ({modifier})";
            }
        }

        return null;
    }

    /// <summary>HG0005: why generated code cannot call the method, or <see langword="null"/>.</summary>
    public static string? ReachabilityProblem(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary)
        {
            return method.MethodKind == MethodKind.LocalFunction ? "a local function cannot be called from outside its method" : "only ordinary methods can be checks";
        }

        if (!SymbolExtensions.IsAccessibleWithinAssembly(method.DeclaredAccessibility))
        {
            return $"the method is {Describe(method.DeclaredAccessibility)}: make it public or internal";
        }

        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            // The generator asks this for every check on every compilation: name the type only when there is a problem.
            if (type.IsFileLocal)
            {
                return $"'{ShortName(type)}' is file-local";
            }

            if (!SymbolExtensions.IsAccessibleWithinAssembly(type.DeclaredAccessibility))
            {
                return $"'{ShortName(type)}' is {Describe(type.DeclaredAccessibility)}: make it public or internal";
            }

            if (type.IsGenericType)
            {
                return $"'{ShortName(type)}' is generic, so generated code cannot name it";
            }
        }

        return null;
    }

    /// <summary>HG0003: why the parameter cannot be supplied, or <see langword="null"/>. Ref-ness is HG0002's.</summary>
    public static string? ParameterProblem(IParameterSymbol parameter)
    {
        ITypeSymbol type = parameter.Type;
        if (type.Is("System.Threading", "CancellationToken") || type.TypeKind == TypeKind.Error)
        {
            return null; // an unresolved type is the compiler's error, not ours
        }

        if (!IsServiceType(type))
        {
            return $"'{type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is not a service the container can supply: take a service (class, interface or delegate) or a CancellationToken";
        }

        foreach (AttributeData attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass.Is("Microsoft.Extensions.DependencyInjection", "FromKeyedServicesAttribute")
                && (attribute.ConstructorArguments.Length != 1 || ServiceKeyExpression(attribute.ConstructorArguments[0]) is null))
            {
                return "the [FromKeyedServices] key must be a constant string, number, bool, char, enum or typeof";
            }
        }

        return null;
    }

    /// <summary>
    /// A type the container can hand out: a class, interface or delegate — not a primitive, string,
    /// object, array, pointer, struct, type parameter or static class.
    /// </summary>
    public static bool IsServiceType(ITypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Interface or TypeKind.Delegate) || type.IsStatic)
        {
            return false;
        }

        if (type.SpecialType is SpecialType.System_String or SpecialType.System_Object)
        {
            return false;
        }

        return type is INamedTypeSymbol named && !named.IsUnboundGenericType;
    }

    /// <summary>HG0008: the problems of the attribute's values, each with the argument it is about.</summary>
    public static List<AttributeProblem> AttributeProblems(AttributeData attribute, ProbeSpec probe, string methodName)
    {
        var problems = new List<AttributeProblem>();
        string? name = null;
        string? ownName = null;
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind != TypedConstantKind.Error)
        {
            name = attribute.ConstructorArguments[0].Value as string;
        }

        if (probe == ProbeSpec.Resolver && name is null)
        {
            problems.Add(new AttributeProblem(AttributeArgument.Name, "a resolver check needs a name"));
        }
        else
        {
            string effective = name ?? CheckNaming.DefaultName(methodName);
            ownName = effective;
            if (!CheckNaming.IsValid(effective))
            {
                string why = CheckNaming.IsReserved(effective) ? "is reserved (every probe body has that property)" : "does not match ^[a-z0-9][a-z0-9_.-]{0,62}$";
                problems.Add(new AttributeProblem(AttributeArgument.Name, name is null
                    ? $"the default name '{effective}' (from the method name) {why}: give the check a name"
                    : $"the name '{effective}' {why}"));
            }
        }

        string? kind = null;
        bool hasKind = false;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "TimeoutMs" when named.Value.Value is int timeout && timeout <= 0:
                    problems.Add(new AttributeProblem(AttributeArgument.TimeoutMs, $"TimeoutMs must be greater than zero (is {timeout})"));
                    break;
                case "CacheMs" when named.Value.Value is int cache && cache < 0:
                    problems.Add(new AttributeProblem(AttributeArgument.CacheMs, $"CacheMs cannot be negative (is {cache})"));
                    break;
                case "PeriodMs" when named.Value.Value is int period && period < 0:
                    problems.Add(new AttributeProblem(AttributeArgument.PeriodMs, $"PeriodMs cannot be negative (is {period}; 0 = not a background check)"));
                    break;
                case "FailureThreshold" when named.Value.Value is int threshold && threshold < 1:
                    problems.Add(new AttributeProblem(AttributeArgument.FailureThreshold, $"FailureThreshold must be at least 1 (is {threshold})"));
                    break;
                case "DependsOn":
                    AddDependencyProblems(problems, Entries(named.Value), ownName);
                    break;
                case "Kind":
                    hasKind = true;
                    kind = named.Value.Value as string;
                    break;
            }
        }

        if (probe == ProbeSpec.Resolver)
        {
            if (!hasKind || kind is null)
            {
                problems.Add(new AttributeProblem(AttributeArgument.Kind, "a resolver check needs a Kind, e.g. Kind = \"ldapresolver\""));
            }
            else if (!CheckNaming.IsValid(kind))
            {
                problems.Add(new AttributeProblem(AttributeArgument.Kind, $"the Kind '{kind}' does not match ^[a-z0-9][a-z0-9_.-]{{0,62}}$ or is reserved"));
            }
        }

        return problems;
    }

    /// <summary>
    /// HG0008 for <c>DependsOn</c>: an entry must be a name a check can have, and not the check's own. Whether a check
    /// of that name exists, and whether the dependencies form a cycle, are HG0010's and HG0011's (they need every check).
    /// </summary>
    private static void AddDependencyProblems(List<AttributeProblem> problems, List<string?> entries, string? ownName)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            string? entry = entries[i];
            if (entry is null)
            {
                problems.Add(new AttributeProblem(AttributeArgument.DependsOn, "a DependsOn entry is null: name a check of the same probe", i));
            }
            else if (!CheckNaming.IsValid(entry))
            {
                string why = CheckNaming.IsReserved(entry) ? "is reserved, so no check has it" : "does not match ^[a-z0-9][a-z0-9_.-]{0,62}$";
                problems.Add(new AttributeProblem(AttributeArgument.DependsOn, $"the DependsOn entry '{entry}' {why}", i));
            }
            else if (entry == ownName)
            {
                problems.Add(new AttributeProblem(AttributeArgument.DependsOn, $"the check cannot depend on itself ('{entry}')", i));
            }
        }
    }

    /// <summary>
    /// The entries of <c>DependsOn</c> as written, <see langword="null"/> for a null entry; empty when it is not set,
    /// set to <see langword="null"/>, or does not compile.
    /// </summary>
    public static List<string?> DependsOnOf(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "DependsOn")
            {
                return Entries(named.Value);
            }
        }

        return [];
    }

    /// <summary>
    /// The dependencies a valid check has: the entries that pass HG0008 (valid names, not its own). The parser reads
    /// a check only when it has no HG0008 problem, so for it these are all entries.
    /// </summary>
    public static List<string> ValidDependencies(AttributeData attribute, string ownName)
    {
        var valid = new List<string>();
        foreach (string? entry in DependsOnOf(attribute))
        {
            if (entry is not null && CheckNaming.IsValid(entry) && entry != ownName)
            {
                valid.Add(entry);
            }
        }

        return valid;
    }

    private static List<string?> Entries(TypedConstant value)
    {
        var entries = new List<string?>();
        if (value.Kind == TypedConstantKind.Array && !value.IsNull)
        {
            foreach (TypedConstant entry in value.Values)
            {
                entries.Add(entry.Value as string);
            }
        }

        return entries;
    }

    /// <summary>The check's effective name (explicit or default), whether or not it is valid.</summary>
    public static string EffectiveName(AttributeData attribute, string methodName)
        => attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name
            ? name
            : CheckNaming.DefaultName(methodName);

    /// <summary>The resolver kind the attribute sets, if any.</summary>
    public static string? KindOf(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Kind")
            {
                return named.Value.Value as string;
            }
        }

        return null;
    }

    public static ReturnShape? ReturnShapeOf(IMethodSymbol method)
    {
        ITypeSymbol type = method.ReturnType;
        if (method.ReturnsVoid)
        {
            return method.IsAsync ? null : ReturnShape.Void;
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return null;
        }

        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return ReturnShape.Boolean;
        }

        if (type.Is("HealthGen", "HealthResult"))
        {
            return ReturnShape.HealthResult;
        }

        const string tasks = "System.Threading.Tasks";
        if (type.Is(tasks, "Task"))
        {
            return ReturnShape.Task;
        }

        if (type.Is(tasks, "ValueTask"))
        {
            return ReturnShape.ValueTask;
        }

        if (type is INamedTypeSymbol { Arity: 1 } generic && (type.Is(tasks, "Task", 1) || type.Is(tasks, "ValueTask", 1)))
        {
            bool isTask = type.Is(tasks, "Task", 1);
            ITypeSymbol result = generic.TypeArguments[0];
            if (result.SpecialType == SpecialType.System_Boolean)
            {
                return isTask ? ReturnShape.TaskOfBoolean : ReturnShape.ValueTaskOfBoolean;
            }

            if (result.Is("HealthGen", "HealthResult"))
            {
                return isTask ? ReturnShape.TaskOfHealthResult : ReturnShape.ValueTaskOfHealthResult;
            }
        }

        return null;
    }

    /// <summary>A keyed-service key as a C# expression: string, number, char, bool, enum or typeof.</summary>
    public static string? ServiceKeyExpression(TypedConstant key)
    {
        switch (key.Kind)
        {
            case TypedConstantKind.Primitive when key.Value is string or bool or char or int or long or uint or ulong or short or ushort or byte or sbyte:
                return key.ToCSharpString();
            case TypedConstantKind.Enum when key.Type is not null:
                return $"({key.Type.ToFullyQualified()})({key.Value})";
            case TypedConstantKind.Type when key.Value is ITypeSymbol type:
                return $"typeof({type.ToFullyQualified()})";
            default:
                return null;
        }
    }

    private static string ShortName(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    private static string Describe(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => accessibility.ToString().ToLowerInvariant(),
    };
}

/// <summary>Which attribute argument an HG0008 problem is about, to put the squiggle on it.</summary>
internal enum AttributeArgument
{
    Name,
    TimeoutMs,
    CacheMs,
    Kind,
    PeriodMs,
    FailureThreshold,
    DependsOn,
}

/// <summary>One HG0008 problem.</summary>
/// <param name="Argument">The argument it is about.</param>
/// <param name="Message">What is wrong, as the diagnostic's last part.</param>
/// <param name="Index">For <c>DependsOn</c>: the entry it is about, to put the squiggle on it; -1 otherwise.</param>
internal sealed record AttributeProblem(AttributeArgument Argument, string Message, int Index = -1);
