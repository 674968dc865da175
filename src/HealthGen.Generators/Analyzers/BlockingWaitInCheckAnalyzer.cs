using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0006: <c>.Result</c>, <c>.Wait()</c>, <c>Task.WaitAll/WaitAny</c>, <c>GetAwaiter().GetResult()</c> or
/// <c>Thread.Sleep</c> inside a check method (including its lambdas and local functions).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitInCheckAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which blocking form was found, for the code fix.</summary>
    public const string FormProperty = "Form";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.BlockingWait];

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
                (string Form, string Display)? found = context.Operation switch
                {
                    IPropertyReferenceOperation { Property.Name: "Result" } property when TaskTypes.IsTaskLike(property.Property.ContainingType) => ("Result", ".Result"),
                    IInvocationOperation invocation => Classify(invocation),
                    _ => null,
                };
                if (found is { } blocking)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.BlockingWait, context.Operation.Syntax.GetLocation(),
                        ImmutableDictionary<string, string?>.Empty.Add(FormProperty, blocking.Form), check, blocking.Display));
                }
            }, OperationKind.PropertyReference, OperationKind.Invocation);
        });
    }

    private static (string Form, string Display)? Classify(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        switch (target.Name)
        {
            case "Wait" when TaskTypes.IsTaskLike(target.ContainingType) && !target.IsStatic:
                return ("Wait", ".Wait()");
            case "WaitAll" or "WaitAny" when TaskTypes.IsTaskLike(target.ContainingType) && target.IsStatic:
                return ("WaitAll", $"Task.{target.Name}(...)");
            case "GetResult" when TaskTypes.IsAwaiter(target.ContainingType)
                && invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter" }:
                return ("GetResult", ".GetAwaiter().GetResult()");
            case "Sleep" when target.IsStatic && target.ContainingType.Is("System.Threading", "Thread"):
                return ("Sleep", "Thread.Sleep(...)");
            default:
                return null;
        }
    }
}
