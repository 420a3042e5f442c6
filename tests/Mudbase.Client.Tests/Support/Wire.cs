using System.Text;
using Mudbase.Auth;
using Mudbase.Internal;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Mudbase.Tests.Support;

/// <summary>WireMock on loopback, canned answers, and readable access to what crossed the wire.</summary>
internal static class Wire
{
    public const string ProjectId = "685ad30be129932fbb7a1047";
    public const string OtherProjectId = "685ad30be129932fbb7a9999";
    public const string AnonymousPath = "/api/auth/anonymous";
    public const string RegisterPath = "/api/auth/local/register";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A server on 127.0.0.1 only, on a free port.</summary>
    public static WireMockServer StartServer() =>
        WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public static Uri BaseUrl(this WireMockServer server) => new(server.Url!);

    /// <summary>A JSON answer with the Content-Type WireMock does not add by itself.</summary>
    public static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    /// <summary>Answers every request on <paramref name="path"/> (any verb) with <paramref name="response"/>.</summary>
    public static void Answer(this WireMockServer server, string path, IResponseBuilder response) =>
        server.Given(Request.Create().WithPath(path)).RespondWith(response);

    /// <summary>Answers every request on any path.</summary>
    public static void AnswerAll(this WireMockServer server, IResponseBuilder response) =>
        server.Given(Request.Create().WithPath("/*")).RespondWith(response);

    /// <summary>
    /// Answers requests on <paramref name="path"/> in order (the last answer repeats), counted with Interlocked
    /// so that the sequence is exact.
    /// </summary>
    public static AnswerSequence AnswerInOrder(this WireMockServer server, string path, params Func<ResponseMessage>[] answers)
    {
        var sequence = new AnswerSequence(answers);
        server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(sequence.Next));
        return sequence;
    }

    /// <summary>A response message built by hand, for callbacks.</summary>
    public static ResponseMessage Message(int status, string? body = null, params (string Name, string Value)[] headers)
    {
        var message = new ResponseMessage
        {
            StatusCode = status,
            Headers = new Dictionary<string, WireMockList<string>>(),
        };
        if (body is not null)
        {
            message.Headers["Content-Type"] = new WireMockList<string>("application/json");
            message.BodyData = new BodyData
            {
                DetectedBodyType = BodyType.String,
                BodyAsString = body,
                Encoding = Encoding.UTF8,
            };
        }

        foreach (var (name, value) in headers)
        {
            message.Headers[name] = new WireMockList<string>(value);
        }

        return message;
    }

    /// <summary>The requests the server received, in order.</summary>
    public static IReadOnlyList<IRequestMessage> Requests(this WireMockServer server) =>
        server.LogEntries.Select(e => e.RequestMessage).ToList();

    /// <summary>A request header, looked up without regard to case; null when absent.</summary>
    public static string? Header(this IRequestMessage request, string name)
    {
        if (request.Headers is null)
        {
            return null;
        }

        foreach (var (key, values) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(", ", values);
            }
        }

        return null;
    }

    /// <summary>Options that point at <paramref name="baseUrl"/>, with tiny retry delays so tests stay fast.</summary>
    public static MudbaseClientOptions Options(Uri baseUrl, Action<MudbaseClientOptions>? configure = null)
    {
        var options = new MudbaseClientOptions
        {
            BaseUrl = baseUrl,
            ProjectId = ProjectId,
            Retry = new MudbaseRetryOptions
            {
                MaxRetries = 2,
                BaseDelay = TimeSpan.FromMilliseconds(1),
                MaxDelay = TimeSpan.FromMilliseconds(5),
            },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A client built through the public constructor.</summary>
    public static MudbaseClient Client(this WireMockServer server, Action<MudbaseClientOptions>? configure = null) =>
        new(Options(server.BaseUrl(), configure));

    /// <summary>A client built through the internal constructor: its own transport and clock.</summary>
    public static MudbaseClient Client(Uri baseUrl, HttpMessageHandler transport, TimeProvider timeProvider, Action<MudbaseClientOptions>? configure = null) =>
        new(OptionsValidator.ValidateAndFreeze(Options(baseUrl, configure), "options"), transport, timeProvider);

    public static RegisterRequest NewRegisterRequest(string? projectId = null) => new()
    {
        Email = "ada@northwind.dev",
        Password = "Sup3r-secret-pw",
        FirstName = "Ada",
        LastName = "Lovelace",
        ProjectId = projectId,
    };
}

/// <summary>Answers in a fixed order; the last one repeats. Also tells when the n-th request has arrived.</summary>
internal sealed class AnswerSequence
{
    private readonly Func<ResponseMessage>[] _answers;
    private readonly TaskCompletionSource _firstArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public AnswerSequence(Func<ResponseMessage>[] answers)
    {
        if (answers.Length == 0)
        {
            throw new ArgumentException("At least one answer is needed.", nameof(answers));
        }

        _answers = answers;
    }

    /// <summary>How many requests have arrived (counted when they arrive, before the answer is written).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the first request has arrived.</summary>
    public Task FirstArrived => _firstArrived.Task;

    public ResponseMessage Next(IRequestMessage request)
    {
        var n = Interlocked.Increment(ref _count);
        _firstArrived.TrySetResult();
        return _answers[Math.Min(n, _answers.Length) - 1]();
    }
}
