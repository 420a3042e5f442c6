using System.Runtime.CompilerServices;

namespace System.Threading.Tasks;

/// <summary>How an await of a <see cref="Task"/> behaves (.NET 8).</summary>
[Flags]
internal enum ConfigureAwaitOptions
{
    None = 0,
    ContinueOnCapturedContext = 1,
    SuppressThrowing = 2,
    ForceYielding = 4,
}

/// <summary><c>Task.WaitAsync</c> (.NET 6), <c>Task.ConfigureAwait(ConfigureAwaitOptions)</c> (.NET 8) and <c>CancellationToken.UnsafeRegister</c>.</summary>
internal static class TaskPolyfills
{
    extension(Task task)
    {
        /// <summary>A task that completes as <paramref name="task"/> does, or is cancelled when the token is; the task itself goes on.</summary>
        public Task WaitAsync(CancellationToken cancellationToken) =>
            task.IsCompleted || !cancellationToken.CanBeCanceled ? task : WaitCoreAsync(task, cancellationToken);

        public ConfiguredOptionsAwaitable ConfigureAwait(ConfigureAwaitOptions options) => new(task, options);
    }

    extension<TResult>(Task<TResult> task)
    {
        /// <inheritdoc cref="WaitAsync(Task, CancellationToken)"/>
        public Task<TResult> WaitAsync(CancellationToken cancellationToken) =>
            task.IsCompleted || !cancellationToken.CanBeCanceled ? task : WaitCoreAsync(task, cancellationToken);
    }

    extension(Task)
    {
        /// <summary><c>Task.Delay(TimeSpan, TimeProvider, CancellationToken)</c> (.NET 8): a wait on <paramref name="timeProvider"/>'s clock.</summary>
        public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken) =>
            timeProvider.Delay(delay, cancellationToken);
    }

    extension(CancellationToken token)
    {
        /// <summary>
        /// <c>CancellationToken.UnsafeRegister</c> (.NET Core 3.0): the same callback, though .NET Framework flows the
        /// execution context into it, which the callbacks here do not need.
        /// </summary>
        public CancellationTokenRegistration UnsafeRegister(Action<object?> callback, object? state) => token.Register(callback, state);
    }

    private static async Task WaitCoreAsync(Task task, CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        await task.ConfigureAwait(false);
    }

    private static async Task<TResult> WaitCoreAsync<TResult>(Task<TResult> task, CancellationToken cancellationToken)
    {
        await WaitCoreAsync((Task)task, cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }
}

/// <summary>The awaitable of <c>Task.ConfigureAwait(ConfigureAwaitOptions)</c>.</summary>
internal readonly struct ConfiguredOptionsAwaitable(Task task, ConfigureAwaitOptions options)
{
    public Awaiter GetAwaiter() => new(task, options);

    internal readonly struct Awaiter(Task task, ConfigureAwaitOptions options) : ICriticalNotifyCompletion
    {
        private ConfiguredTaskAwaitable.ConfiguredTaskAwaiter Inner =>
            task.ConfigureAwait((options & ConfigureAwaitOptions.ContinueOnCapturedContext) != 0).GetAwaiter();

        // As in .NET 8: forced yielding reports "not completed", and the awaiter of a completed task queues the continuation.
        public bool IsCompleted => (options & ConfigureAwaitOptions.ForceYielding) == 0 && task.IsCompleted;

        public void OnCompleted(Action continuation) => Inner.OnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation) => Inner.UnsafeOnCompleted(continuation);

        public void GetResult()
        {
            if ((options & ConfigureAwaitOptions.SuppressThrowing) == 0)
            {
                task.GetAwaiter().GetResult();
            }
            else
            {
                _ = task.Exception; // observed, so it is not reported as unobserved
            }
        }
    }
}
