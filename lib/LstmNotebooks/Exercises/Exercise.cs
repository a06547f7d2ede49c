namespace LstmNotebooks.Exercises;

/// <summary>
/// The check an exercise ends with. A chapter's check cell lists the conditions a right answer meets, each with the
/// sentence a learner reads when it does not hold; <see cref="Check"/> runs them in order and says whether the answer
/// holds or which condition does not, yet. An answer that throws (the starter's <see cref="NotImplementedException"/>,
/// say) does not hold, and the first line of the exception's message is shown (libtorch's errors go on with its native
/// backtrace, a line a frame). Plumbing: the conditions themselves are in the chapter.
/// </summary>
public static class Exercise
{
    public const string Holds = "✓";
    public const string NotYet = "✗";

    /// <summary>"✓ Exercise 6.1: your answer holds (3 checks)." or "✗ Exercise 6.1, not yet: CONDITION".</summary>
    public static string Check(string number, params (string Condition, Func<bool> Holds)[] conditions)
    {
        if (conditions.Length == 0) throw new ArgumentException("an exercise check needs at least one condition", nameof(conditions));
        foreach (var (condition, holds) in conditions)
        {
            string? problem;
            try
            {
                problem = holds() ? null : condition;
            }
            catch (Exception e)
            {
                problem = $"{condition} (your code threw {e.GetType().Name}: {e.Message.Split('\n', 2)[0].TrimEnd()})";
            }
            if (problem is not null) return $"{NotYet} Exercise {number}, not yet: {problem}";
        }
        return $"{Holds} Exercise {number}: your answer holds ({conditions.Length} check{(conditions.Length == 1 ? "" : "s")}).";
    }
}
