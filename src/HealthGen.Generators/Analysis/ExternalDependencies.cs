using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using HealthGen.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Analysis;

/// <summary>
/// Decides whether a type or method is an external dependency for HG0001: a client of something outside
/// the process (database, directory, HSM, HTTP, sockets, DNS, messaging, caches). Built-in knowledge by
/// base type or interface, anything marked <c>[ExternalDependency]</c>, and the types listed in the
/// <c>.editorconfig</c> key <c>healthgen.external_dependency_types</c>.
/// </summary>
internal sealed class ExternalDependencies
{
    public const string EditorConfigKey = "healthgen.external_dependency_types";
    public const string AttributeName = "HealthGen.ExternalDependencyAttribute";

    /// <summary>
    /// Types whose instances talk to something outside the process. Subclasses and implementations count
    /// too, so DbConnection covers Npgsql, SqlClient, Sqlite, MySqlConnector and every other ADO.NET provider.
    /// </summary>
    public static readonly string[] KnownTypes =
    [
        // ADO.NET and EF Core
        "System.Data.Common.DbConnection", "System.Data.Common.DbCommand", "System.Data.Common.DbDataSource",
        "System.Data.Common.DbBatch", "System.Data.Common.DbDataAdapter", "System.Data.IDbConnection", "System.Data.IDbCommand",
        "Microsoft.EntityFrameworkCore.DbContext", "Microsoft.EntityFrameworkCore.DbSet`1",
        "Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade",
        // Directories
        "System.DirectoryServices.Protocols.DirectoryConnection", "System.DirectoryServices.DirectoryEntry",
        "System.DirectoryServices.DirectorySearcher", "Novell.Directory.Ldap.LdapConnection",
        // Network
        "System.Net.Http.HttpMessageInvoker", "System.Net.Http.IHttpClientFactory", "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient",
        "System.Net.Sockets.UdpClient", "System.Net.Sockets.NetworkStream", "System.Net.Dns",
        "System.Net.NetworkInformation.Ping", "System.Net.WebRequest", "System.Net.WebClient", "System.Net.Mail.SmtpClient",
        // gRPC
        "Grpc.Core.ChannelBase", "Grpc.Core.CallInvoker", "Grpc.Core.ClientBase", "Grpc.Net.Client.GrpcChannel",
        // Messaging, caches, document stores, cloud clients
        "StackExchange.Redis.IConnectionMultiplexer", "StackExchange.Redis.IDatabaseAsync",
        "Microsoft.Extensions.Caching.Distributed.IDistributedCache",
        "RabbitMQ.Client.IConnection", "RabbitMQ.Client.IModel", "RabbitMQ.Client.IChannel",
        "Confluent.Kafka.IClient", "Azure.Messaging.ServiceBus.ServiceBusClient", "Azure.Messaging.ServiceBus.ServiceBusSender",
        "MongoDB.Driver.IMongoClient", "MongoDB.Driver.IMongoDatabase", "MongoDB.Driver.IMongoCollection`1",
        "Microsoft.Azure.Cosmos.CosmosClient", "Amazon.Runtime.AmazonServiceClient", "Azure.Core.Pipeline.HttpPipeline",
    ];

    /// <summary>Namespaces whose every type is a dependency client: HealthGen's own check packages among them.</summary>
    public static readonly string[] KnownNamespaces = ["HealthGen.Checks", "System.DirectoryServices.Protocols"];

    private readonly HashSet<INamedTypeSymbol> _known;
    private readonly INamedTypeSymbol? _attribute;
    private readonly string[] _configuredNames;
    private readonly string[] _configuredPrefixes;
    private readonly ConcurrentDictionary<ITypeSymbol, string?> _byType = new(SymbolEqualityComparer.Default);

    private ExternalDependencies(Compilation compilation, string? configured)
    {
        _known = new HashSet<INamedTypeSymbol>(KnownTypes
            .Select(compilation.GetTypeByMetadataName)
            .Where(static t => t is not null)
            .Cast<INamedTypeSymbol>(), SymbolEqualityComparer.Default);
        _attribute = compilation.GetTypeByMetadataName(AttributeName);

        string[] entries = (configured ?? string.Empty)
            .Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        _configuredNames = entries.Where(static e => !e.EndsWith("*", StringComparison.Ordinal)).ToArray();
        _configuredPrefixes = entries.Where(static e => e.EndsWith("*", StringComparison.Ordinal)).Select(static e => e.TrimEnd('*')).ToArray();
    }

    public static ExternalDependencies Create(Compilation compilation, string? configured) => new(compilation, configured);

    /// <summary>The dependency a type is (its display name), or <see langword="null"/>.</summary>
    public string? Match(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.TypeParameter or TypeKind.Error)
        {
            return null;
        }

        if (type is IArrayTypeSymbol array)
        {
            return Match(array.ElementType);
        }

        return _byType.GetOrAdd(type, Compute);
    }

    /// <summary>Whether the method itself is marked <c>[ExternalDependency]</c>.</summary>
    public bool IsMarked(IMethodSymbol method)
    {
        // [ExternalDependency] is inherited by overrides (Roslyn does not apply Inherited = true for us).
        for (IMethodSymbol? current = method.ReducedFrom ?? method; current is not null; current = current.OverriddenMethod)
        {
            if (HasAttribute(current) || HasAttribute(current.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private string? Compute(ITypeSymbol type)
    {
        string display = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        foreach (ITypeSymbol candidate in SelfAndAncestors(type))
        {
            if (candidate is INamedTypeSymbol named && (_known.Contains(named.OriginalDefinition) || HasAttribute(named) || IsConfigured(named) || InKnownNamespace(named)))
            {
                return display;
            }
        }

        return null;
    }

    private static IEnumerable<ITypeSymbol> SelfAndAncestors(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            yield return implemented;
        }
    }

    private bool HasAttribute(ISymbol symbol)
    {
        if (_attribute is null)
        {
            return false;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _attribute))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsConfigured(INamedTypeSymbol type)
    {
        if (_configuredNames.Length == 0 && _configuredPrefixes.Length == 0)
        {
            return false;
        }

        string name = QualifiedName(type.OriginalDefinition);
        return Array.IndexOf(_configuredNames, name) >= 0
            || _configuredPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static bool InKnownNamespace(INamedTypeSymbol type)
    {
        string ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return KnownNamespaces.Any(known => ns == known || ns.StartsWith(known + ".", StringComparison.Ordinal));
    }

    /// <summary><c>Namespace.Outer.Inner</c>, without type arguments: what people write in .editorconfig.</summary>
    private static string QualifiedName(INamedTypeSymbol type)
    {
        string name = type.Name;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.Name + "." + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }
}
