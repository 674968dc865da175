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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace HealthGen.CodeFixes;

/// <summary>
/// HG0007: gives the check a <c>CancellationToken cancellationToken = default</c> parameter when it has none
/// (optional, so other callers keep compiling) and passes the token to every flagged call: as the missing
/// argument, instead of <c>default</c>/<c>CancellationToken.None</c>, or appended to pick the overload that takes one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassCancellationTokenCodeFixProvider)), Shared]
public sealed class PassCancellationTokenCodeFixProvider : CheckMethodCodeFixProvider<InvocationExpressionSyntax>
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.MissingCancellationToken];

    /// <inheritdoc/>
    protected override string Title => "Pass the CancellationToken";

    /// <inheritdoc/>
    protected override (MethodDeclarationSyntax Method, InvocationExpressionSyntax Node)? Locate(SyntaxNode root, Diagnostic diagnostic)
    {
        InvocationExpressionSyntax? call = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
            .AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(c => c.Span == diagnostic.Location.SourceSpan);
        MethodDeclarationSyntax? method = call?.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        return call is null || method is null || (method.Body is null && method.ExpressionBody is null) ? null : (method, call);
    }

    /// <inheritdoc/>
    protected override MethodDeclarationSyntax FixMethod(
        MethodDeclarationSyntax method, List<(InvocationExpressionSyntax Node, Diagnostic Diagnostic)> calls, SemanticModel model, CancellationToken cancellationToken)
    {
        IMethodSymbol? symbol = model.GetDeclaredSymbol(method, cancellationToken);
        IParameterSymbol? existing = symbol?.Parameters.FirstOrDefault(static p => p.Type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } });
        string token = existing?.Name ?? UniqueName(symbol, "cancellationToken");

        var edits = calls.ToDictionary(c => c.Node, c => c.Diagnostic);
        MethodDeclarationSyntax fixedMethod = method.ReplaceNodes(edits.Keys, (original, rewritten) => PassToken(original, rewritten, edits[original], token, model, cancellationToken));
        if (existing is not null)
        {
            return fixedMethod;
        }

        ParameterSyntax parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(token))
            .WithType(SyntaxFactory.ParseTypeName("System.Threading.CancellationToken").WithAdditionalAnnotations(Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.Space))
            .WithDefault(SyntaxFactory.EqualsValueClause(SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return fixedMethod.AddParameterListParameters(parameter);
    }

    private static InvocationExpressionSyntax PassToken(
        InvocationExpressionSyntax original, InvocationExpressionSyntax rewritten, Diagnostic diagnostic, string token, SemanticModel model, CancellationToken cancellationToken)
    {
        IdentifierNameSyntax tokenExpression = SyntaxFactory.IdentifierName(token);
        if (diagnostic.Properties.TryGetValue(MissingCancellationTokenAnalyzer.FixProperty, out string? fix) && fix == "Parameter"
            && diagnostic.Properties.TryGetValue(MissingCancellationTokenAnalyzer.ParameterProperty, out string? parameterName) && parameterName is not null)
        {
            // An explicit default / CancellationToken.None argument: replace its value where it stands.
            if (model.GetOperation(original, cancellationToken) is IInvocationOperation operation
                && operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameterName && a.ArgumentKind != ArgumentKind.DefaultValue)?.Syntax is ArgumentSyntax explicitArgument)
            {
                int index = original.ArgumentList.Arguments.IndexOf(explicitArgument);
                ArgumentSyntax target = rewritten.ArgumentList.Arguments[index];
                return rewritten.ReplaceNode(target, target.WithExpression(tokenExpression.WithTriviaFrom(target.Expression)));
            }

            // Omitted optional parameter: pass it by name, which is valid wherever it stands in the list.
            return rewritten.AddArgumentListArguments(SyntaxFactory.Argument(SyntaxFactory.NameColon(parameterName), default, tokenExpression))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        // No token parameter: append one, choosing the overload that takes a trailing CancellationToken.
        return rewritten.AddArgumentListArguments(SyntaxFactory.Argument(tokenExpression)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static string UniqueName(IMethodSymbol? method, string name)
    {
        string candidate = name;
        for (int suffix = 2; method is not null && method.Parameters.Any(p => p.Name == candidate); suffix++)
        {
            candidate = name + suffix;
        }

        return candidate;
    }
}
