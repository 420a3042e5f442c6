using System.Text.Json.Nodes;
using Mudbase.Emulator;
using Mudbase.Functions;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Integration;

/// <summary>client.Functions against the emulator's functions: runs that succeed, fail, time out and outlast the wait.</summary>
public sealed class FunctionFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly FunctionWaitOptions Quick = new() { PollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(20) };

    private MudbaseEmulator Emulator => fixture.Emulator;

    private MudbaseClient KeyClient() => new(new MudbaseClientOptions
    {
        BaseUrl = Emulator.BaseUrl,
        ProjectId = Emulator.DefaultProjectId,
        ApiKey = Emulator.ApiKey,
        Retry = { BaseDelay = TimeSpan.FromMilliseconds(10) },
    });

    private string Quote(EmulatorFunctionOptions? options = null) =>
        Emulator.CreateFunction("quote-" + Guid.NewGuid().ToString("N")[..8], (run, _) =>
        {
            var items = (int?)run.Payload?["items"] ?? 0;
            run.Log($"pricing {items} items");
            return Task.FromResult<JsonNode?>(new JsonObject { ["total"] = items * 10.5m, ["currency"] = "EUR" });
        }, options);

    [Fact]
    public async Task A_function_that_succeeds_returns_its_result_typed_as_the_caller_asks()
    {
        var functionId = Quote();
        using var client = KeyClient();

        var quote = await client.Functions.InvokeAsync(functionId, new JsonObject { ["items"] = 4 }, QuoteJsonContext.Default.Quote, Quick, Wire.Ct);

        Assert.Equal(new Quote(42m, "EUR"), quote);
    }

    [Fact]
    public async Task A_signed_in_user_runs_a_function_and_reads_its_logs()
    {
        var functionId = Quote();
        using var client = fixture.CreateClient();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        var run = await client.Functions.InvokeAsync(functionId, new JsonObject { ["items"] = 2 }, Quick, Wire.Ct);

        Assert.Equal(FunctionExecutionStatus.Succeeded, run.Status);
        Assert.Equal(21, run.Result!.Value.GetProperty("total").GetDecimal());
        Assert.Equal("pricing 2 items\n", run.Logs!.Stdout);
        Assert.True(Guid.TryParse(run.ExecutionId, out _), "execution ids are UUIDs");
        Assert.True(run.StartedAt >= run.CreatedAt && run.CompletedAt >= run.StartedAt);
        Assert.NotNull(run.Duration);
    }

    [Fact]
    public async Task A_function_that_fails_brings_its_error_and_logs_to_the_caller()
    {
        var functionId = Emulator.CreateFunction("charge", (run, _) =>
        {
            run.Log("charging card");
            run.LogError("gateway said no");
            throw new InvalidOperationException("card declined");
        });
        using var client = KeyClient();

        var error = await Errors.ExpectAsync<MudbaseFunctionException>(() => client.Functions.InvokeAsync(functionId, new JsonObject { ["cents"] = 500 }, Quick, Wire.Ct));

        var run = error.Execution;
        Assert.Equal(FunctionExecutionStatus.Failed, run.Status);
        Assert.Equal(("card declined", nameof(InvalidOperationException)), (run.Error, run.ErrorClass));
        Assert.Equal("charging card\n", run.Logs!.Stdout);
        Assert.Contains("gateway said no", run.Logs.Stderr, StringComparison.Ordinal);
        Assert.Contains("card declined", run.Logs.Stderr, StringComparison.Ordinal);
        Assert.Contains("card declined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_slower_than_the_wait_is_picked_up_again_by_its_id()
    {
        var functionId = Quote(new EmulatorFunctionOptions { Delay = TimeSpan.FromSeconds(1.5) });
        using var client = KeyClient();
        var started = await client.Functions.StartAsync(functionId, new JsonObject { ["items"] = 1 }, cancellationToken: Wire.Ct);

        var timeout = await Errors.ExpectAsync<MudbaseFunctionTimeoutException>(() =>
            client.Functions.WaitAsync(started, new FunctionWaitOptions { PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(300) }, Wire.Ct));
        Assert.Equal(FunctionExecutionStatus.Running, timeout.Execution.Status);

        // Later, with only the ids kept: read the run again, and wait for it.
        using var later = KeyClient();
        var pickedUp = await later.Functions.GetExecutionAsync(functionId, started.ExecutionId!, cancellationToken: Wire.Ct);
        var done = await later.Functions.WaitAsync(pickedUp, Quick, Wire.Ct);

        Assert.Equal((FunctionExecutionStatus.Succeeded, started.ExecutionId), (done.Status, done.ExecutionId));
        Assert.Equal(10.5m, done.Result!.Value.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_run_is_seen_queued_then_running_then_succeeded()
    {
        var functionId = Quote(new EmulatorFunctionOptions { QueueDelay = TimeSpan.FromMilliseconds(400), Delay = TimeSpan.FromMilliseconds(400) });
        using var client = KeyClient();

        var started = await client.Functions.StartAsync(functionId, cancellationToken: Wire.Ct);
        var seen = new List<FunctionExecutionStatus> { started.Status };
        for (var run = started; !run.IsCompleted; await Task.Delay(25, Wire.Ct))
        {
            run = await client.Functions.GetExecutionAsync(functionId, started.ExecutionId!, cancellationToken: Wire.Ct);
            if (seen[^1] != run.Status)
            {
                seen.Add(run.Status);
            }
        }

        Assert.Equal([FunctionExecutionStatus.Queued, FunctionExecutionStatus.Running, FunctionExecutionStatus.Succeeded], seen);
    }

    [Fact]
    public async Task A_run_past_the_functions_time_limit_ends_timed_out()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var functionId = Emulator.CreateFunction("hang", async (_, ct) =>
        {
            using var registration = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }, new EmulatorFunctionOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        using var client = KeyClient();

        var error = await Errors.ExpectAsync<MudbaseFunctionException>(() => client.Functions.InvokeAsync(functionId, options: Quick, cancellationToken: Wire.Ct));

        Assert.Equal((FunctionExecutionStatus.TimedOut, "TimeoutError"), (error.Execution.Status, error.Execution.ErrorClass));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct); // the handler was told to stop
    }

    [Fact]
    public async Task Unknown_and_inactive_functions_are_not_found()
    {
        var inactive = Quote(new EmulatorFunctionOptions { IsActive = false });
        using var client = KeyClient();

        await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Functions.StartAsync("685ad30be129932fbb7a9f9f", cancellationToken: Wire.Ct));
        await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Functions.StartAsync(inactive, cancellationToken: Wire.Ct));
        await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Functions.GetExecutionAsync(inactive, Guid.NewGuid().ToString(), cancellationToken: Wire.Ct));
        Assert.False((await client.Functions.GetAsync(inactive, cancellationToken: Wire.Ct)).IsActive);
    }

    [Fact]
    public async Task A_payload_over_one_MiB_is_refused_and_the_function_does_not_run()
    {
        var runs = 0;
        var functionId = Emulator.CreateFunction("big", (_, _) =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult<JsonNode?>(null);
        });
        using var client = KeyClient();

        await Errors.ExpectAsync<MudbaseValidationException>(() =>
            client.Functions.StartAsync(functionId, new JsonObject { ["blob"] = new string('x', 1024 * 1024) }, cancellationToken: Wire.Ct));

        var small = await client.Functions.InvokeAsync(functionId, new JsonObject { ["blob"] = "x" }, Quick, Wire.Ct);
        Assert.Equal(FunctionExecutionStatus.Succeeded, small.Status);
        Assert.Null(small.Result);
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Runs_beyond_the_functions_limit_per_minute_are_refused_with_when_to_try_again()
    {
        var functionId = Quote(new EmulatorFunctionOptions { MaxExecutionsPerMinute = 2 });
        using var client = KeyClient();

        await client.Functions.StartAsync(functionId, cancellationToken: Wire.Ct);
        await client.Functions.StartAsync(functionId, cancellationToken: Wire.Ct);
        var error = await Errors.ExpectAsync<MudbaseRateLimitException>(() => client.Functions.StartAsync(functionId, cancellationToken: Wire.Ct));

        Assert.InRange(error.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal("RATE_LIMITED", error.ErrorCode);
    }

    [Fact]
    public async Task Functions_are_listed_and_read_with_their_run_counts()
    {
        var projectId = Emulator.CreateProject();
        var first = Emulator.CreateFunction("alpha", (_, _) => Task.FromResult<JsonNode?>(1), new EmulatorFunctionOptions { Description = "the first" }, projectId);
        Emulator.CreateFunction("beta", (_, _) => Task.FromResult<JsonNode?>(2), new EmulatorFunctionOptions { IsActive = false }, projectId);
        using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = projectId, ApiKey = Emulator.GetApiKey(projectId) });
        await client.Functions.InvokeAsync(first, options: Quick, cancellationToken: Wire.Ct);

        var all = await client.Functions.ListAsync(new FunctionListOptions { Limit = 1 }, Wire.Ct);
        var active = await client.Functions.ListAsync(new FunctionListOptions { IsActive = true }, Wire.Ct);
        var searched = await client.Functions.ListAsync(new FunctionListOptions { Search = "FIRST" }, Wire.Ct);
        var alpha = await client.Functions.GetAsync(first, cancellationToken: Wire.Ct);

        Assert.Equal((2L, 2, true, "alpha"), (all.Total, all.TotalPages, all.HasMore, all.Items.Single().Name));
        Assert.Equal(["alpha"], active.Items.Select(f => f.Name));
        Assert.Equal(["alpha"], searched.Items.Select(f => f.Name));
        Assert.Equal((projectId, "http", 1L, 1L), (alpha.ProjectId, alpha.TriggerType, alpha.Stats!.TotalExecutions, alpha.Stats.SuccessfulExecutions));
    }

    [Fact]
    public async Task Without_a_credential_the_routes_answer_401()
    {
        var functionId = Quote();
        using var client = fixture.CreateClient();

        await Errors.ExpectAsync<MudbaseAuthenticationException>(() => client.Functions.StartAsync(functionId, cancellationToken: Wire.Ct));
        await Errors.ExpectAsync<MudbaseAuthenticationException>(() => client.Functions.ListAsync(cancellationToken: Wire.Ct));
    }
}
