using System;
using System.IO;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HealthGen.Benchmarks;

/// <summary>
/// An <see cref="IServer"/> without sockets: a request goes through the application's whole ASP.NET Core
/// pipeline (hosting, middleware, routing, the endpoint) and its response lands in a reusable buffer.
/// </summary>
/// <remarks>
/// Written by hand because the test host package builds a new <c>HttpContext</c>, request stream and response
/// pipe for every request, which would bury the allocations being compared. Like Kestrel, this server hands
/// hosting a feature collection that carries the per-request context (<see cref="IHostContextContainer{TContext}"/>),
/// so what remains per request is what ASP.NET Core itself does plus what each variant does.
/// One request at a time: a benchmark thread drives it.
/// </remarks>
public sealed class InMemoryServer : IServer
{
    private InMemoryConnection? _connection;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>The connection requests are sent on, once the host has started.</summary>
    public InMemoryConnection Connection => _connection ?? throw new InvalidOperationException("The host has not started.");

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _connection = new InMemoryConnection<TContext>(application);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}

/// <summary>Sends requests into the application and keeps the last response.</summary>
public abstract class InMemoryConnection
{
    protected InMemoryConnection()
    {
        Features = new RequestFeatures(Request, Response, Body);
    }

    /// <summary>This connection's features; what the pipeline adds during a request is dropped before the next one (as Kestrel does).</summary>
    protected RequestFeatures Features { get; }

    protected HttpRequestFeature Request { get; } = new() { Protocol = "HTTP/1.1", Scheme = "http", PathBase = string.Empty };

    protected HttpResponseFeature Response { get; } = new();

    protected ResponseBuffer Body { get; } = new();

    /// <summary>The status code of the last response.</summary>
    public int StatusCode => Response.StatusCode;

    /// <summary>The body of the last response.</summary>
    public ReadOnlySpan<byte> ResponseBody => Body.Written;

    /// <summary>A response header of the last response.</summary>
    public string? ResponseHeader(string name) => Response.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Sends <c>GET {path}{query}</c>; completes synchronously when the application does.</summary>
    public abstract ValueTask<int> GetAsync(string path, string query = "");

    protected void Reset(string path, string query)
    {
        Request.Method = HttpMethods.Get;
        Request.Path = path;
        Request.QueryString = query;
        Response.StatusCode = StatusCodes.Status200OK;
        Response.ReasonPhrase = null;
        Response.Headers.Clear();
        Body.Reset();
        Features.DropRequestFeatures();
    }
}

internal sealed class InMemoryConnection<TContext>(IHttpApplication<TContext> application) : InMemoryConnection
    where TContext : notnull
{
    private readonly ReusedContextFeatures _features = new();

    public override ValueTask<int> GetAsync(string path, string query = "")
    {
        Reset(path, query);
        _features.Inner = Features;
        TContext context = application.CreateContext(_features);
        Task processing;
        try
        {
            processing = application.ProcessRequestAsync(context);
        }
        catch (Exception exception)
        {
            application.DisposeContext(context, exception);
            throw;
        }

        if (processing.IsCompletedSuccessfully)
        {
            application.DisposeContext(context, null);
            return new ValueTask<int>(Response.StatusCode);
        }

        return AwaitAsync(processing, context);
    }

    private async ValueTask<int> AwaitAsync(Task processing, TContext context)
    {
        try
        {
            await processing.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            application.DisposeContext(context, exception);
            throw;
        }

        application.DisposeContext(context, null);
        return Response.StatusCode;
    }

    /// <summary>The request's features, carrying hosting's per-request context from one request to the next (as Kestrel does).</summary>
    private sealed class ReusedContextFeatures : IFeatureCollection, IHostContextContainer<TContext>
    {
        public RequestFeatures Inner { get; set; } = null!;

        public TContext? HostContext { get; set; }

        public bool IsReadOnly => false;

        public int Revision => Inner.Revision;

        public object? this[Type key] { get => Inner[key]; set => Inner[key] = value; }

        public TFeature? Get<TFeature>() => Inner.Get<TFeature>();

        public void Set<TFeature>(TFeature? instance) => Inner.Set(instance);

        public System.Collections.Generic.IEnumerator<System.Collections.Generic.KeyValuePair<Type, object>> GetEnumerator() => Inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Inner.GetEnumerator();
    }
}

/// <summary>
/// The connection's features: the server's own, fixed, and those the pipeline sets during a request (the matched
/// endpoint, route values, ...), which <see cref="DropRequestFeatures"/> forgets without allocating.
/// </summary>
/// <remarks>
/// Like Kestrel's connection (which implements its features itself and keeps the per-request ones in fields), a
/// lookup costs a few type comparisons, not a hash: the server's features are fields, the few the pipeline adds a
/// short list searched by reference. A dictionary here made every feature access after routing (which bumps the
/// revision, so <c>HttpContext</c> fetches again) cost ~50 ns — ten times Kestrel — and charged that to whichever
/// variant reads the request.
/// </remarks>
public sealed class RequestFeatures : IFeatureCollection
{
    private readonly HttpRequestFeature _request;
    private readonly HttpResponseFeature _response;
    private readonly ResponseBuffer _body;
    private readonly HttpRequestLifetimeFeature _lifetime = new();
    private readonly System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<Type, object>> _added = new(16);
    private int _revision;

    public RequestFeatures(HttpRequestFeature request, HttpResponseFeature response, ResponseBuffer body)
    {
        _request = request;
        _response = response;
        _body = body;
    }

    public bool IsReadOnly => false;

    public int Revision => _revision;

    public object? this[Type key]
    {
        get
        {
            if (key == typeof(IHttpRequestFeature))
            {
                return _request;
            }

            if (key == typeof(IHttpResponseFeature))
            {
                return _response;
            }

            if (key == typeof(IHttpResponseBodyFeature))
            {
                return _body;
            }

            if (key == typeof(IHttpRequestLifetimeFeature))
            {
                return _lifetime;
            }

            foreach (System.Collections.Generic.KeyValuePair<Type, object> feature in _added)
            {
                if (ReferenceEquals(feature.Key, key))
                {
                    return feature.Value;
                }
            }

            return null;
        }

        set
        {
            for (int i = 0; i < _added.Count; i++)
            {
                if (ReferenceEquals(_added[i].Key, key))
                {
                    _added.RemoveAt(i);
                    break;
                }
            }

            if (value is not null)
            {
                _added.Add(new(key, value));
            }

            _revision++;
        }
    }

    /// <summary>Forgets what the pipeline set during the last request.</summary>
    public void DropRequestFeatures()
    {
        _added.Clear();
        _revision++;
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public System.Collections.Generic.IEnumerator<System.Collections.Generic.KeyValuePair<Type, object>> GetEnumerator()
    {
        yield return new(typeof(IHttpRequestFeature), _request);
        yield return new(typeof(IHttpResponseFeature), _response);
        yield return new(typeof(IHttpResponseBodyFeature), _body);
        yield return new(typeof(IHttpRequestLifetimeFeature), _lifetime);
        foreach (System.Collections.Generic.KeyValuePair<Type, object> feature in _added)
        {
            yield return feature;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The response body: a pipe writer and a stream over one reusable buffer.</summary>
public sealed class ResponseBuffer : PipeWriter, IHttpResponseBodyFeature
{
    private byte[] _buffer = new byte[4096];
    private int _written;
    private BufferStream? _stream;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    public Stream Stream => _stream ??= new BufferStream(this);

    public PipeWriter Writer => this;

    public void Reset() => _written = 0;

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public Task CompleteAsync() => Task.CompletedTask;

    public override void Advance(int bytes) => _written += bytes;

    // Flushing is a no-op here, so nothing is ever waiting to be flushed.
    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => 0;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => new(new FlushResult(false, false));

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - _written < Math.Max(sizeHint, 1))
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + sizeHint));
        }
    }

    private sealed class BufferStream(ResponseBuffer owner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            buffer.CopyTo(owner.GetSpan(buffer.Length));
            owner.Advance(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return default;
        }
    }
}
