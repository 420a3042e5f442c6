using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Mudbase.Http;
using Mudbase.Internal;

namespace Mudbase.Tests.Support;

/// <summary>An innermost handler that answers from code and records every attempt it sees.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _answer;
    private readonly ConcurrentQueue<(HttpMethod Method, string? Body)> _seen = new();
    private int _attempts;

    public StubHandler(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answer = answer;

    /// <summary>Answers in order; the last answer repeats.</summary>
    public static StubHandler InOrder(params Func<HttpResponseMessage>[] answers) =>
        new((n, _, _) => Task.FromResult(answers[Math.Min(n, answers.Length) - 1]()));

    /// <summary>Never answers: waits until the attempt is cancelled (by a timeout or the caller).</summary>
    public static StubHandler NeverAnswers() =>
        new(async (_, _, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });

    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<(HttpMethod Method, string? Body)> Seen => _seen.ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _attempts);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _seen.Enqueue((request.Method, body));
        var response = await _answer(n, request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }

    public static HttpResponseMessage Answer(HttpStatusCode status, string? json = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

/// <summary>Sits between the retry handler and the socket: counts the attempts the retry handler makes.</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private readonly TaskCompletionSource _firstResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _attempts;

    public CountingHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Completes when the first answer has been handed back up to the retry handler.</summary>
    public Task FirstResponse => _firstResponse.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        var response = await base.SendAsync(request, cancellationToken);
        _firstResponse.TrySetResult();
        return response;
    }
}

/// <summary>
/// Drives <see cref="MudbaseRetryHandler"/> on its own, for verbs the public client has no call for yet
/// (GET, PUT, DELETE, PATCH).
/// </summary>
internal sealed class RetryHarness : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public RetryHarness(HttpMessageHandler inner, TimeProvider timeProvider, Action<MudbaseClientOptions>? configure = null)
    {
        Options = OptionsValidator.ValidateAndFreeze(Wire.Options(new Uri("http://127.0.0.1/"), configure), "options");
        _invoker = new HttpMessageInvoker(new MudbaseRetryHandler(Options, timeProvider) { InnerHandler = inner }, disposeHandler: true);
    }

    /// <summary>Over real sockets, with an attempt counter in front of the socket handler.</summary>
    public static RetryHarness OverSockets(out CountingHandler counter, TimeProvider? timeProvider = null, Action<MudbaseClientOptions>? configure = null)
    {
        counter = new CountingHandler(new SocketsHttpHandler());
        return new RetryHarness(counter, timeProvider ?? TimeProvider.System, configure);
    }

    public MudbaseClientOptions Options { get; }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string? jsonBody = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, url);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        return _invoker.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _invoker.Dispose();
}
