namespace LstmNotebooks.Data;

/// <summary>
/// Normally distributed numbers from a seeded <see cref="Random"/> (Box–Muller). The same seed gives the same
/// numbers on every platform and .NET version, which torch's generator would too — but this keeps data generation
/// free of native code and easy to read.
/// </summary>
public sealed class SeededNormal(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    public double Next(double mean = 0, double standardDeviation = 1)
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return mean + standardDeviation * spare;
        }
        double u1;
        do u1 = _random.NextDouble(); while (u1 <= double.Epsilon);
        var u2 = _random.NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return mean + standardDeviation * radius * Math.Cos(2 * Math.PI * u2);
    }
}
