namespace Mudbase.Emulator;

/// <summary>
/// Chaos mode: faults injected into the emulator's own pipeline, each kind with its own probability
/// per request, so that a test can see what a client does when the network or a proxy misbehaves,
/// and count the real state left behind (<see cref="MudbaseEmulator.GetStatistics"/>). Every
/// probability is from 0 to 1 and together they are at most 1: one draw per request picks at most
/// one fault. Faults marked <i>after processing</i> let the endpoint run first, so its effects on
/// state (a user created, a refresh token spent) are real although the client never hears of them.
/// </summary>
/// <remarks>
/// Only <c>/api</c> requests and a direct upload's <c>PUT /__storage/{key}</c> get faults (see <see cref="Applies"/>);
/// the emulator's own <c>/emulator/*</c> routes, such as the outbox, never do. Set it as
/// <see cref="MudbaseEmulatorOptions.Chaos"/>, or later with <see cref="MudbaseEmulator.SetChaos"/>;
/// either copies it, so changing this object afterwards changes nothing.
/// </remarks>
public sealed class EmulatorChaosOptions
{
    /// <summary>
    /// The seed of the draws: the same seed and the same order of requests give the same faults, so
    /// a failing run can be replayed. Requests made concurrently reach the draw in an order of their own.
    /// </summary>
    public int Seed { get; set; }

    /// <summary>Closes the connection before the endpoint runs: no answer, and nothing processed.</summary>
    public double ResetBeforeAnswer { get; set; }

    /// <summary>
    /// Runs the endpoint (its state changes happen), then closes the connection instead of answering:
    /// the client cannot tell this from <see cref="ResetBeforeAnswer"/>, which is the point.
    /// </summary>
    public double ResetAfterProcessing { get; set; }

    /// <summary>
    /// Answers 500 <c>{"error":"Internal server error","code":"INTERNAL_ERROR"}</c>, the hosted
    /// service's body for a failure, instead of running the endpoint: nothing processed, as when
    /// the server fails before it changes anything.
    /// </summary>
    public double ServerErrorJson { get; set; }

    /// <summary>Answers 502 with a proxy's <c>text/html</c> page instead of running the endpoint: nothing processed.</summary>
    public double BadGatewayHtml { get; set; }

    /// <summary>
    /// Runs the endpoint (its state changes happen), then answers 504 with a proxy's <c>text/html</c>
    /// page instead of the real answer: a gateway gave up while the server did the work.
    /// </summary>
    public double GatewayTimeoutHtml { get; set; }

    /// <summary>
    /// Answers 503 <c>{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}</c>
    /// with <c>retry-after: 1</c> instead of running the endpoint: nothing processed.
    /// </summary>
    public double ServiceUnavailable { get; set; }

    /// <summary>
    /// Answers 429 <c>{"error":"Too many requests, please try again later.","retryAfter":1}</c> with
    /// <c>retry-after: 1</c> and <c>ratelimit-*</c> headers instead of running the endpoint: nothing
    /// processed, and no rate-limit bucket counts the request.
    /// </summary>
    public double RateLimitedShort { get; set; }

    /// <summary>
    /// Like <see cref="RateLimitedShort"/>, but 900 seconds (<c>retry-after: 900</c>, <c>"retryAfter":900</c>):
    /// longer than a client should wait inside one call.
    /// </summary>
    public double RateLimitedLong { get; set; }

    /// <summary>
    /// Runs the endpoint (its state changes happen), then holds the answer for
    /// <see cref="SlowResponseDelay"/> and sends it only if the client is still connected.
    /// </summary>
    public double SlowResponse { get; set; }

    /// <summary>
    /// How long <see cref="SlowResponse"/> holds an answer, by <see cref="MudbaseEmulatorOptions.TimeProvider"/>'s
    /// clock (advance a fake clock to release it); 5 seconds by default. Make it longer than the
    /// client's timeout. At most one day.
    /// </summary>
    public TimeSpan SlowResponseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the endpoint (its state changes happen), then sends the real status and headers with a
    /// <c>Content-Length</c> of the whole body, but only its first half, and closes the connection.
    /// </summary>
    public double TruncatedJson { get; set; }

    /// <summary>
    /// Runs the endpoint (its state changes happen), then sends the real status and headers
    /// (<c>Content-Type</c> included) with an empty body, <c>Content-Length: 0</c>.
    /// </summary>
    public double EmptyBody { get; set; }

    /// <summary>
    /// Runs the endpoint (its state changes happen), then answers 200 <c>{"ok":true,"data":[1,2,3]}</c>,
    /// JSON of a shape no route has, whatever the real status was.
    /// </summary>
    public double UnexpectedShape { get; set; }

    /// <summary>
    /// Runs the endpoint (its state changes happen), then sends the real answer with unknown fields
    /// (<c>"_chaos":{"n":1}</c> and <c>"unexpectedField":"x"</c>) added to the top-level object and
    /// to every object nested in it. A valid answer still: a client must ignore fields it does not know.
    /// An answer that is not JSON (a redirect) goes out unchanged.
    /// </summary>
    public double ExtraFields { get; set; }

    /// <summary>
    /// For a file download (<c>GET /api/bucket/files/{fileId}/download</c>), sends the real status and headers, with the
    /// <c>Content-Length</c> of the whole file, then about half of the bytes, and closes the connection: the client must
    /// report a failure, never a short file. The bytes are streamed, not held, whatever the file's size. A request that
    /// downloads no file's bytes gets no fault from this share of the draws. An empty file has nothing to cut and goes
    /// out whole, as do the route's error answers.
    /// </summary>
    public double ResetDuringDownload { get; set; }

    /// <summary>
    /// Which requests may get faults; <see langword="null"/> (the default) for every request under
    /// <c>/api</c> and every direct upload's <c>PUT /__storage/{key}</c>. Requests to <c>/emulator/*</c> never get faults, whatever this says. Called once
    /// per request, concurrently: it must be thread-safe.
    /// </summary>
    public Func<HttpRequest, bool>? Applies { get; set; }
}
