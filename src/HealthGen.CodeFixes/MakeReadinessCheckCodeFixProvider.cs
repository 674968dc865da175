using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HealthGen.CodeFixes;

/// <summary>HG0001: turns <c>[LivenessCheck(...)]</c> into <c>[ReadinessCheck(...)]</c>, keeping the name and every setting.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeReadinessCheckCodeFixProvider)), Shared]
public sealed class MakeReadinessCheckCodeFixProvider : CodeFixProvider
{
    private const string Title = "Make it a readiness check";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.LivenessExternalDependency];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
            || RenamedIdentifier(attribute.Name) is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => RenameAsync(context.Document, root, attribute, cancellationToken), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static Task<Document> RenameAsync(Document document, SyntaxNode root, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        SimpleNameSyntax name = RenamedIdentifier(attribute.Name)!;
        string replacement = name.Identifier.ValueText == "LivenessCheckAttribute" ? "ReadinessCheckAttribute" : "ReadinessCheck";
        SimpleNameSyntax renamed = name.WithIdentifier(SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, replacement, name.Identifier.TrailingTrivia));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(name, renamed)));
    }

    /// <summary>The identifier to rename: <c>LivenessCheck</c>, also inside <c>HealthGen.LivenessCheck</c> or <c>global::HealthGen.LivenessCheckAttribute</c>.</summary>
    private static SimpleNameSyntax? RenamedIdentifier(NameSyntax name)
    {
        SimpleNameSyntax simple = name switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            AliasQualifiedNameSyntax alias => alias.Name,
            SimpleNameSyntax plain => plain,
            _ => null!,
        };
        return simple?.Identifier.ValueText is "LivenessCheck" or "LivenessCheckAttribute" ? simple : null;
    }
}
