using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace HealthGen.CodeFixes;

/// <summary>
/// HG0006: replaces <c>task.Result</c>, <c>task.GetAwaiter().GetResult()</c> and <c>task.Wait()</c> with
/// <c>await task</c>, and <c>Thread.Sleep(n)</c> with <c>await Task.Delay(n)</c>, making the check async
/// (void → Task, bool → Task&lt;bool&gt;, HealthResult → Task&lt;HealthResult&gt;). Offered only where that is
/// mechanical: directly in the check's body (not in lambdas or local functions), in a method that is
/// async already or returns void, bool or HealthResult.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitInsteadOfBlockingCodeFixProvider)), Shared]
public sealed class AwaitInsteadOfBlockingCodeFixProvider : CheckMethodCodeFixProvider<ExpressionSyntax>
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.BlockingWait];

    /// <inheritdoc/>
    protected override string Title => "Await instead of blocking";

    /// <inheritdoc/>
    protected override (MethodDeclarationSyntax Method, ExpressionSyntax Node)? Locate(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(BlockingWaitInCheckAnalyzer.FormProperty, out string? form) || form == "WaitAll")
        {
            return null;
        }

        ExpressionSyntax? blocking = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
            .AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == diagnostic.Location.SourceSpan);
        if (blocking is null || (form == "Wait" && blocking is InvocationExpressionSyntax { ArgumentList.Arguments.Count: > 0 }))
        {
            return null; // Wait(timeout) returns bool: not a mechanical rewrite
        }

        foreach (SyntaxNode ancestor in blocking.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return null;
                case MethodDeclarationSyntax method when CanBecomeAsync(method):
                    return (method, blocking);
                case MethodDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool CanBecomeAsync(MethodDeclarationSyntax method)
    {
        if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
        {
            return true;
        }

        if (method.Body is null && method.ExpressionBody is null)
        {
            return false;
        }

        return method.ReturnType switch
        {
            PredefinedTypeSyntax predefined => predefined.Keyword.IsKind(SyntaxKind.VoidKeyword) || predefined.Keyword.IsKind(SyntaxKind.BoolKeyword),
            IdentifierNameSyntax { Identifier.ValueText: "HealthResult" } => true,
            QualifiedNameSyntax { Right.Identifier.ValueText: "HealthResult" } => true,
            _ => false,
        };
    }

    /// <inheritdoc/>
    protected override MethodDeclarationSyntax FixMethod(
        MethodDeclarationSyntax method, List<(ExpressionSyntax Node, Diagnostic Diagnostic)> found, SemanticModel model, CancellationToken cancellationToken)
    {
        MethodDeclarationSyntax fixedMethod = method.ReplaceNodes(found.Select(static f => f.Node), static (original, _) => Await(original));
        if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
        {
            return fixedMethod;
        }

        TypeSyntax returnType = method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            ? SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task")
            : SyntaxFactory.ParseTypeName($"System.Threading.Tasks.Task<{method.ReturnType.WithoutTrivia()}>");
        SyntaxToken async = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        return fixedMethod
            .WithReturnType(returnType.WithTriviaFrom(method.ReturnType).WithAdditionalAnnotations(Simplifier.Annotation))
            .WithModifiers(fixedMethod.Modifiers.Add(async));
    }

    /// <summary>The awaiting form of one blocking expression.</summary>
    private static ExpressionSyntax Await(ExpressionSyntax blocking)
    {
        ExpressionSyntax awaited = blocking switch
        {
            // task.Result
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
            // task.GetAwaiter().GetResult()
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetResult", Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter } } } => getAwaiter.Expression,
            // task.Wait()
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } wait } => wait.Expression,
            // Thread.Sleep(n)
            InvocationExpressionSyntax sleep => SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression("System.Threading.Tasks.Task.Delay").WithAdditionalAnnotations(Simplifier.Annotation),
                sleep.ArgumentList),
            _ => blocking,
        };

        ExpressionSyntax await = SyntaxFactory.AwaitExpression(awaited.WithoutTrivia());
        bool standsAlone = blocking.Parent is ExpressionStatementSyntax or ArrowExpressionClauseSyntax or ReturnStatementSyntax or EqualsValueClauseSyntax;
        ExpressionSyntax replacement = standsAlone ? await : SyntaxFactory.ParenthesizedExpression(await).WithAdditionalAnnotations(Simplifier.Annotation);
        return replacement.WithTriviaFrom(blocking).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
