using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Functions;
using Mudbase.Tests.Support;
using WireMock.Server;
using static Mudbase.Tests.Support.FunctionFixture;

namespace Mudbase.Tests.Contract;

/// <summary>client.Functions against WireMock: the wire of every call, every answer shape and error, and what is never re-sent.</summary>
public sealed class FunctionsContractTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private static FunctionWaitOptions Fast => new() { PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(2), Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task List_sends_the_page_and_filters_and_reads_functions_and_paging()
    {
        _server.Answer(ListPath, Wire.Json(200, $$$$"""{"success":true,"data":{"functions":[{{{{FunctionJson}}}}],"pagination":{"page":2,"limit":1,"total":3,"pages":3}}}"""));
        using var client = _server.Client();

        var page = await client.Functions.ListAsync(new FunctionListOptions { Page = 2, Limit = 1, Search = "quo te", TriggerType = "http", IsActive = true }, Wire.Ct);

        var request = Assert.Single(_server.Requests());
        Assert.Equal("GET", request.Method);
        Assert.Equal(ListPath, request.Path);
        Assert.Equal([("page", "2"), ("limit", "1"), ("search", "quo te"), ("triggerType", "http"), ("isActive", "true")], request.QueryPairs());
        Assert.Equal((2, 1, 3L, 3, true), (page.Page, page.PageSize, page.Total, page.TotalPages, page.HasMore));
        var function = Assert.Single(page.Items);
        Assert.Equal((FunctionId, "quote", "Prices a cart", "http", true), (function.Id, function.Name, function.Description, function.TriggerType, function.IsActive));
        Assert.Equal("/quote", (string?)function.Trigger?["path"]);
        Assert.Equal((12L, 10L, 2L), (function.Stats!.TotalExecutions, function.Stats.SuccessfulExecutions, function.Stats.FailedExecutions));
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), function.Stats.LastExecutionAt);
    }

    [Fact]
    public async Task List_without_options_asks_for_the_first_20_and_leaves_filters_out()
    {
        _server.Answer(ListPath, Wire.Json(200, """{"success":true,"data":{"functions":[]}}"""));
        using var client = _server.Client();

        var page = await client.Functions.ListAsync(cancellationToken: Wire.Ct);

        Assert.Equal([("page", "1"), ("limit", "20")], Assert.Single(_server.Requests()).QueryPairs());
        Assert.Empty(page.Items);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task Get_reads_the_function_with_the_other_stats_spelling()
    {
        var json = FunctionJson.Replace("\"successfulExecutions\":10,\"failedExecutions\":2", "\"successful\":10,\"failed\":2", StringComparison.Ordinal);
        _server.Answer(FunctionPath, Wire.Json(200, $$"""{"success":true,"data":{{json}}}"""));
        using var client = _server.Client();

        var function = await client.Functions.GetAsync(FunctionId, cancellationToken: Wire.Ct);

        Assert.Equal(FunctionPath, Assert.Single(_server.Requests()).Path);
        Assert.Equal((10L, 2L), (function.Stats!.SuccessfulExecutions, function.Stats.FailedExecutions));
        Assert.Equal(Wire.ProjectId, function.ProjectId);
    }

    [Fact]
    public async Task Get_of_an_unknown_function_is_not_found()
    {
        _server.Answer(FunctionPath, Wire.Json(404, """{"error":"Function not found"}"""));
        using var client = _server.Client();

        var error = await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Functions.GetAsync(FunctionId, cancellationToken: Wire.Ct));

        Assert.Equal("HTTP 404: Function not found", error.Message);
    }

    [Fact]
    public async Task Start_posts_the_payload_and_reads_the_202()
    {
        _server.Answer(ExecutePath, Wire.Json(202, Queued));
        using var client = _server.Client();

        var run = await client.Functions.StartAsync(FunctionId, new JsonObject { ["items"] = 3, ["nonce"] = "n-1" }, cancellationToken: Wire.Ct);

        var request = Assert.Single(_server.Requests());
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"payload":{"items":3,"nonce":"n-1"}}""", request.Body);
        Assert.Equal((FunctionId, ExecutionId, FunctionExecutionStatus.Queued, false), (run.FunctionId, run.ExecutionId, run.Status, run.IsCompleted));
        Assert.Null(run.Result);
        Assert.Null(run.Logs);
    }

    [Fact]
    public async Task Start_without_a_payload_sends_an_empty_object_to_the_given_project()
    {
        var path = $"/api/functions/projects/{Wire.OtherProjectId}/functions/{FunctionId}/execute";
        _server.Answer(path, Wire.Json(202, Queued));
        using var client = _server.Client();

        var run = await client.Functions.StartAsync(FunctionId, projectId: Wire.OtherProjectId, cancellationToken: Wire.Ct);

        Assert.Equal("{}", Assert.Single(_server.Requests()).Body);
        Assert.Equal(Wire.OtherProjectId, run.ProjectId);
    }

    [Theory]
    [InlineData("""{"success":true,"data":{"success":true,"result":{"total":42,"currency":"EUR"},"error":null,"executionTime":87}}""", FunctionExecutionStatus.Succeeded, null)]
    [InlineData("""{"success":true,"data":{"success":false,"result":null,"error":"card declined","executionTime":12}}""", FunctionExecutionStatus.Failed, "card declined")]
    public async Task The_older_synchronous_answer_is_an_execution_already_completed(string body, FunctionExecutionStatus status, string? error)
    {
        _server.Answer(ExecutePath, Wire.Json(200, body));
        using var client = _server.Client();

        var run = await client.Functions.StartAsync(FunctionId, cancellationToken: Wire.Ct);
        var waited = await client.Functions.WaitAsync(run, cancellationToken: Wire.Ct);

        Assert.True(run.IsCompleted);
        Assert.Same(run, waited);
        Assert.Null(run.ExecutionId);
        Assert.Equal((status, error), (run.Status, run.Error));
        Assert.NotNull(run.Duration);
        Assert.Equal(status == FunctionExecutionStatus.Succeeded, run.Result is { ValueKind: JsonValueKind.Object });
        Assert.Single(_server.Requests()); // nothing polled
    }

    [Fact]
    public async Task Get_execution_reads_every_field_of_a_run()
    {
        _server.Answer(ExecutionPath, Wire.Json(200, Execution("success", """{"total":42,"currency":"EUR"}""")));
        using var client = _server.Client();

        var run = await client.Functions.GetExecutionAsync(FunctionId, ExecutionId, cancellationToken: Wire.Ct);

        Assert.Equal(ExecutionPath, Assert.Single(_server.Requests()).Path);
        Assert.Equal((FunctionExecutionStatus.Succeeded, true), (run.Status, run.IsCompleted));
        Assert.Equal(42, run.Result!.Value.GetProperty("total").GetInt32());
        Assert.Equal(TimeSpan.FromMilliseconds(1234), run.Duration);
        Assert.Equal(("pricing 3 items\n", "", false), (run.Logs!.Stdout, run.Logs.Stderr, run.Logs.Truncated));
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), run.CreatedAt);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T10:00:00.250Z", System.Globalization.CultureInfo.InvariantCulture), run.StartedAt);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T10:00:01.484Z", System.Globalization.CultureInfo.InvariantCulture), run.CompletedAt);
    }

    [Theory]
    [InlineData("queued", FunctionExecutionStatus.Queued)]
    [InlineData("provisioning", FunctionExecutionStatus.Provisioning)]
    [InlineData("running", FunctionExecutionStatus.Running)]
    [InlineData("success", FunctionExecutionStatus.Succeeded)]
    [InlineData("failed", FunctionExecutionStatus.Failed)]
    [InlineData("timeout", FunctionExecutionStatus.TimedOut)]
    [InlineData("hibernating", FunctionExecutionStatus.Unknown)]
    public async Task Every_status_reads_as_its_value(string wire, FunctionExecutionStatus expected)
    {
        _server.Answer(ExecutionPath, Wire.Json(200, Execution(wire)));
        using var client = _server.Client();

        var run = await client.Functions.GetExecutionAsync(FunctionId, ExecutionId, cancellationToken: Wire.Ct);

        Assert.Equal(expected, run.Status);
        Assert.Equal(wire is "success" or "failed" or "timeout", run.IsCompleted);
    }

    [Theory]
    [InlineData(500, """{"error":"Internal server error"}""", typeof(MudbaseServerException))]
    [InlineData(502, "<html><body>Bad Gateway</body></html>", typeof(MudbaseServerException))]
    [InlineData(503, """{"error":"busy","code":"SERVICE_UNAVAILABLE"}""", typeof(MudbaseServerException))]
    public async Task A_start_that_may_have_run_is_never_sent_again(int status, string body, Type expected)
    {
        _server.Answer(ExecutePath, Wire.Json(status, body));
        using var client = _server.Client();

        var error = await Errors.CatchAsync(() => client.Functions.StartAsync(FunctionId, new JsonObject { ["nonce"] = "once" }, cancellationToken: Wire.Ct));

        Assert.IsType(expected, error);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_lost_answer_to_a_start_is_a_transport_failure_sent_once()
    {
        _server.Answer(ExecutePath, Wire.Json(202, Queued));
        using var client = LostAnswerHandler.Client(_server, drops: 1);

        await Errors.ExpectAsync<MudbaseTransportException>(() => client.Functions.StartAsync(FunctionId, cancellationToken: Wire.Ct));

        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task The_execution_limit_429_is_a_rate_limit_error_not_waited_out()
    {
        _server.Answer(ExecutePath, Wire.Json(429, """{"error":"Rate limit exceeded","code":"RATE_LIMITED","details":"60 per minute","retryAfter":60}""").WithHeader("retry-after", "60"));
        using var client = _server.Client();

        var error = await Errors.ExpectAsync<MudbaseRateLimitException>(() => client.Functions.StartAsync(FunctionId, cancellationToken: Wire.Ct));

        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData(404, """{"error":"Function not found"}""", typeof(MudbaseNotFoundException))]
    [InlineData(400, """{"error":"Payload too large"}""", typeof(MudbaseValidationException))]
    [InlineData(403, """{"error":"Insufficient permissions","userRole":"viewer","customRole":"customer"}""", typeof(MudbaseForbiddenException))]
    [InlineData(403, """{"success":false,"error":"feature_not_allowed","resource":"functions","action":"execute","message":"Upgrade"}""", typeof(MudbaseForbiddenException))]
    public async Task Start_errors_map_to_their_exceptions(int status, string body, Type expected)
    {
        _server.Answer(ExecutePath, Wire.Json(status, body));
        using var client = _server.Client();

        var error = await Errors.CatchAsync(() => client.Functions.StartAsync(FunctionId, cancellationToken: Wire.Ct));

        Assert.IsType(expected, error);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData("<html>oops</html>")]
    [InlineData("""{"success":true,"data":{"execution""")]
    [InlineData("""{"success":true}""")]
    [InlineData("""{"success":true,"data":{"status":"queued"}}""")]
    [InlineData("""{"success":true,"data":[1,2]}""")]
    public async Task A_start_answer_of_the_wrong_shape_is_a_MudbaseException_with_the_status(string body)
    {
        _server.Answer(ExecutePath, Wire.Json(202, body).WithHeader("x-request-id", "req-fn-1"));
        using var client = _server.Client();

        var error = await Errors.ExpectAsync<MudbaseException>(() => client.Functions.StartAsync(FunctionId, cancellationToken: Wire.Ct));

        Assert.Equal(HttpStatusCode.Accepted, error.StatusCode);
        Assert.Equal("req-fn-1", error.RequestId);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task Invoke_starts_polls_and_returns_the_succeeded_run()
    {
        _server.Answer(ExecutePath, Wire.Json(202, Queued));
        var polls = _server.AnswerInOrder(ExecutionPath,
            () => Wire.Message(200, Execution("running")),
            () => Wire.Message(200, Execution("success", """{"total":42,"currency":"EUR"}""")));
        using var client = _server.Client();

        var run = await client.Functions.InvokeAsync(FunctionId, new JsonObject { ["items"] = 3 }, Fast, Wire.Ct);

        Assert.Equal(FunctionExecutionStatus.Succeeded, run.Status);
        Assert.Equal(2, polls.Count);
        Assert.Equal(["POST", "GET", "GET"], _server.Requests().Select(r => r.Method));
    }

    [Fact]
    public async Task Invoke_of_a_typed_result_reads_it_with_the_callers_type_info()
    {
        _server.Answer(ExecutePath, Wire.Json(202, Queued));
        _server.Answer(ExecutionPath, Wire.Json(200, Execution("success", """{"total":42.5,"currency":"EUR"}""")));
        using var client = _server.Client();

        var quote = await client.Functions.InvokeAsync(FunctionId, null, QuoteJsonContext.Default.Quote, Fast, Wire.Ct);

        Assert.Equal(new Quote(42.5m, "EUR"), quote);
    }

    [Fact]
    public async Task A_typed_result_of_the_wrong_shape_is_a_MudbaseException_naming_the_function()
    {
        _server.Answer(ExecutePath, Wire.Json(202, Queued));
        _server.Answer(ExecutionPath, Wire.Json(200, Execution("success", "[1,2,3]")));
        using var client = _server.Client();

        var error = await Errors.ExpectAsync<MudbaseException>(() => client.Functions.InvokeAsync(FunctionId, null, QuoteJsonContext.Default.Quote, Fast, Wire.Ct));

        Assert.Contains(FunctionId, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Quote), error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException);
    }

    [Theory]
    [InlineData("failed", FunctionExecutionStatus.Failed)]
    [InlineData("timeout", FunctionExecutionStatus.TimedOut)]
    public async Task Invoke_of_a_run_that_did_not_succeed_throws_with_the_run(string status, FunctionExecutionStatus expected)
    {
        _server.Answer(ExecutePath, Wire.Json(202, Queued));
        _server.Answer(ExecutionPath, Wire.Json(200, Execution(status, error: "cart is empty")));
        using var client = _server.Client();

        var error = await Errors.ExpectAsync<MudbaseFunctionException>(() => client.Functions.InvokeAsync(FunctionId, options: Fast, cancellationToken: Wire.Ct));

        Assert.Equal(expected, error.Execution.Status);
        Assert.Equal(("cart is empty", "TypeError"), (error.Execution.Error, error.Execution.ErrorClass));
        Assert.Equal("pricing 3 items\n", error.Execution.Logs!.Stdout);
        Assert.Contains("cart is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_arguments_throw_before_any_request()
    {
        using var client = _server.Client();
        var functions = client.Functions;
        var running = new FunctionExecution(FunctionId, null, FunctionExecutionStatus.Running);

        Assert.Throws<ArgumentNullException>("functionId", () => { _ = functions.StartAsync(null!, cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentException>("functionId", () => { _ = functions.GetAsync(" ", cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentException>("executionId", () => { _ = functions.GetExecutionAsync(FunctionId, "", cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentException>("projectId", () => { _ = functions.StartAsync(FunctionId, projectId: "", cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentNullException>("execution", () => { _ = functions.WaitAsync(null!, cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentNullException>("execution.ExecutionId", () => { _ = functions.WaitAsync(running, cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentNullException>("resultType", () => { _ = functions.InvokeAsync(FunctionId, null, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Quote>)null!, cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentOutOfRangeException>("options.Limit", () => { _ = functions.ListAsync(new FunctionListOptions { Limit = 101 }, Wire.Ct); });
        Assert.Throws<ArgumentOutOfRangeException>("options.Page", () => { _ = functions.ListAsync(new FunctionListOptions { Page = 0 }, Wire.Ct); });
        Assert.Throws<ArgumentOutOfRangeException>("options.PollInterval", () => { _ = functions.InvokeAsync(FunctionId, options: new FunctionWaitOptions { PollInterval = TimeSpan.Zero }, cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentOutOfRangeException>("options.MaxPollInterval", () => { _ = functions.InvokeAsync(FunctionId, options: new FunctionWaitOptions { PollInterval = TimeSpan.FromSeconds(2), MaxPollInterval = TimeSpan.FromSeconds(1) }, cancellationToken: Wire.Ct); });
        Assert.Throws<ArgumentOutOfRangeException>("options.Timeout", () => { _ = functions.InvokeAsync(FunctionId, options: new FunctionWaitOptions { Timeout = TimeSpan.Zero }, cancellationToken: Wire.Ct); });
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public async Task Invoke_without_a_project_in_the_options_throws_before_any_request()
    {
        using var client = _server.Client(o => o.ProjectId = null);

        var error = Assert.Throws<ArgumentException>(() => { _ = client.Functions.InvokeAsync(FunctionId, cancellationToken: Wire.Ct); });

        Assert.Contains("StartAsync", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests());
        await Task.CompletedTask;
    }
}
