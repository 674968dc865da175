using System.Collections.Immutable;
using System.Linq;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0007: a check awaits a call that could take a CancellationToken — it has a token parameter that gets
/// none (omitted, <c>default</c>, <c>CancellationToken.None</c>), or an overload with one more, trailing,
/// CancellationToken parameter — so the call outlives the check's timeout.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingCancellationTokenAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "Parameter" (the call has a token parameter) or "Overload" (append one).</summary>
    public const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the name of the token parameter, when the call has one.</summary>
    public const string ParameterProperty = "Parameter";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.MissingCancellationToken];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockStartAction(static block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method || CheckRules.CheckAttributesOf(method) is not { Count: > 0 } attributes)
            {
                return;
            }

            string check = CheckMethods.DisplayName(method, attributes);
            block.RegisterOperationAction(context =>
            {
                if (AwaitedCall(((IAwaitOperation)context.Operation).Operation) is not { } call)
                {
                    return;
                }

                ImmutableDictionary<string, string?>? properties = MissingToken(call);
                if (properties is not null)
                {
                    string display = $"{call.TargetMethod.ContainingType.Name}.{call.TargetMethod.Name}";
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingCancellationToken, call.Syntax.GetLocation(), properties, check, display));
                }
            }, OperationKind.Await);
        });
    }

    /// <summary>The call being awaited, looking through <c>.ConfigureAwait(...)</c>.</summary>
    private static IInvocationOperation? AwaitedCall(IOperation operand)
    {
        while (operand is IConversionOperation conversion)
        {
            operand = conversion.Operand;
        }

        if (operand is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited } configure
            && TaskTypes.IsTaskLike(configure.TargetMethod.ContainingType))
        {
            operand = awaited;
        }

        return operand as IInvocationOperation;
    }

    private static ImmutableDictionary<string, string?>? MissingToken(IInvocationOperation call)
    {
        IParameterSymbol? tokenParameter = call.TargetMethod.Parameters.FirstOrDefault(static p => TaskTypes.IsCancellationToken(p.Type));
        if (tokenParameter is not null)
        {
            IArgumentOperation? argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter, tokenParameter));
            return argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue || IsNoToken(argument.Value)
                ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, "Parameter").Add(ParameterProperty, tokenParameter.Name)
                : null;
        }

        return HasOverloadWithTrailingToken(call.TargetMethod)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, "Overload")
            : null;
    }

    /// <summary><c>default</c>, <c>default(CancellationToken)</c>, <c>new CancellationToken()</c> or <c>CancellationToken.None</c>.</summary>
    private static bool IsNoToken(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value switch
        {
            IDefaultValueOperation => true,
            IPropertyReferenceOperation { Property.Name: "None" } property => TaskTypes.IsCancellationToken(property.Property.ContainingType),
            IObjectCreationOperation { Arguments.Length: 0 } creation => TaskTypes.IsCancellationToken(creation.Type),
            _ => false,
        };
    }

    private static bool HasOverloadWithTrailingToken(IMethodSymbol method)
    {
        IMethodSymbol original = method.ReducedFrom ?? method.OriginalDefinition;
        foreach (ISymbol member in original.ContainingType.GetMembers(original.Name))
        {
            if (member is IMethodSymbol candidate
                && candidate.IsStatic == original.IsStatic
                && candidate.Parameters.Length == original.Parameters.Length + 1
                && TaskTypes.IsCancellationToken(candidate.Parameters[candidate.Parameters.Length - 1].Type)
                && candidate.TypeParameters.Length == original.TypeParameters.Length
                && SameParameterTypes(candidate, original))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameParameterTypes(IMethodSymbol candidate, IMethodSymbol original)
    {
        for (int i = 0; i < original.Parameters.Length; i++)
        {
            ITypeSymbol a = candidate.Parameters[i].Type, b = original.Parameters[i].Type;
            bool same = a is ITypeParameterSymbol pa && b is ITypeParameterSymbol pb
                ? pa.Ordinal == pb.Ordinal
                : SymbolEqualityComparer.Default.Equals(a, b);
            if (!same || candidate.Parameters[i].RefKind != original.Parameters[i].RefKind)
            {
                return false;
            }
        }

        return true;
    }
}
