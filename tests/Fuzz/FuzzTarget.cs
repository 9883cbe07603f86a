namespace Provisioning.Daemon.Fuzz;

/// <summary>
/// One reader under fuzzing. <see cref="Run"/> feeds it one input and checks what the reader promises: no
/// exception but its documented error (which the reader itself turns into an answer), results that keep the
/// reader's own rules, and allocation bounded by the input's size. Anything else escapes as an exception,
/// which AFL++ records as a crash and the corpus replay test as a failure.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>What one input may allocate beyond <see cref="BytesPerInputByte"/> per input byte.</summary>
    public const long FixedAllocationBudget = 4 * 1024 * 1024;

    /// <summary>Allocation per byte of input allowed on top of the fixed budget.</summary>
    public const long BytesPerInputByte = 64;

    public static IReadOnlyList<FuzzTarget> All { get; } = [new JsonRpcRequestTarget(), new StateFileTarget(), new BackOfficeAnswerTarget()];

    /// <summary>The target's name: the argument of the fuzz executable and the folder of its corpus.</summary>
    public abstract string Name { get; }

    public static FuzzTarget Named(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"unknown target '{name}'; the targets are {string.Join(", ", All.Select(t => t.Name))}", nameof(name));

    /// <summary>
    /// Feeds one input to the reader; throws <see cref="FuzzFindingException"/> (or the reader's escaped exception) on a
    /// defect. True when the reader accepted the input as valid, false when it refused it (as it should refuse bad input).
    /// </summary>
    public bool Run(ReadOnlySpan<byte> input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool accepted = Feed(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long budget = FixedAllocationBudget + (BytesPerInputByte * input.Length);
        FuzzFindingException.Check(allocated <= budget, $"{Name}: {allocated} bytes allocated for an input of {input.Length} bytes (budget {budget})");
        return accepted;
    }

    protected abstract bool Feed(ReadOnlySpan<byte> input);
}
