using LstmNotebooks.Exercises;

namespace LstmNotebooks.Tests;

public class ExerciseCheckTests
{
    [Fact]
    public void An_answer_that_meets_every_condition_holds()
    {
        Assert.Equal("✓ Exercise 6.1: your answer holds (2 checks).", Exercise.Check("6.1", ("one", () => true), ("two", () => true)));
    }

    [Fact]
    public void The_first_condition_that_fails_is_named_and_the_later_ones_are_not_run()
    {
        var ran = false;
        Assert.Equal("✗ Exercise 2.3, not yet: two", Exercise.Check("2.3", ("one", () => true), ("two", () => false), ("three", () => ran = true)));
        Assert.False(ran);
    }

    [Fact]
    public void An_answer_that_throws_does_not_hold_and_the_exception_is_shown()
    {
        Assert.Equal("✗ Exercise 1.2, not yet: it returns a number (your code threw NotImplementedException: your answer)",
            Exercise.Check("1.2", ("it returns a number", () => throw new NotImplementedException("your answer"))));
    }

    [Fact]
    public void Of_an_exception_whose_message_goes_on_with_a_backtrace_the_first_line_is_shown()
    {
        Assert.Equal("✗ Exercise 4.2, not yet: it runs (your code threw InvalidOperationException: mat1 and mat2 must have the same dtype)",
            Exercise.Check("4.2", ("it runs", () => throw new InvalidOperationException("mat1 and mat2 must have the same dtype\r\nframe #0: c10::Error\nframe #1: …"))));
    }

    [Fact]
    public void A_check_without_conditions_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Exercise.Check("1.1"));
    }
}
