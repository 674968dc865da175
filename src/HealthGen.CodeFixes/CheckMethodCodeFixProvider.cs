using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HealthGen.CodeFixes;

/// <summary>
/// A fix that rewrites a check method as a whole: every diagnostic is located to a node inside a method,
/// and each method is rewritten once with all of its nodes. One diagnostic and Fix All go through the
/// same path, so Fix All never has to merge overlapping edits (such as adding one parameter twice).
/// </summary>
public abstract class CheckMethodCodeFixProvider<TNode> : CodeFixProvider
    where TNode : SyntaxNode
{
    /// <summary>The code action's title, also its equivalence key.</summary>
    protected abstract string Title { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create((context, document, diagnostics) => FixDocumentAsync(document, diagnostics, context.CancellationToken)!);

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root is not null && Locate(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => FixDocumentAsync(context.Document, [diagnostic], cancellationToken), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    /// <summary>The method and the node a diagnostic is about, or <see langword="null"/> when the fix does not apply.</summary>
    protected abstract (MethodDeclarationSyntax Method, TNode Node)? Locate(SyntaxNode root, Diagnostic diagnostic);

    /// <summary>Rewrites one method with every node of it that has a diagnostic.</summary>
    protected abstract MethodDeclarationSyntax FixMethod(
        MethodDeclarationSyntax method, List<(TNode Node, Diagnostic Diagnostic)> found, SemanticModel model, CancellationToken cancellationToken);

    private async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var byMethod = new Dictionary<MethodDeclarationSyntax, List<(TNode, Diagnostic)>>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (Locate(root, diagnostic) is { } located)
            {
                if (!byMethod.TryGetValue(located.Method, out List<(TNode, Diagnostic)>? found))
                {
                    byMethod[located.Method] = found = [];
                }

                found.Add((located.Node, diagnostic));
            }
        }

        SyntaxNode fixedRoot = root.ReplaceNodes(byMethod.Keys, (original, _) => FixMethod(original, byMethod[original], model, cancellationToken));
        return document.WithSyntaxRoot(fixedRoot);
    }
}
