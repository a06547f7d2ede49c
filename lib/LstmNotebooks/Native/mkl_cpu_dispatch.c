/* mkl_cpu_dispatch.c — lets Intel MKL (linked into TorchSharp's libtorch) use its fast kernels on AMD processors.
 *
 * MKL picks its code path from the processor: on a CPU whose vendor is not Intel it falls back to generic kernels,
 * whatever instruction sets the CPU has. libtorch_cpu.so exports the check MKL asks, mkl_serv_intel_cpu_true; the
 * helper library loads this object globally before libtorch, so the check finds this definition first. MKL then
 * chooses kernels by the CPU's actual features (AVX2, AVX-512), as it does on Intel processors. Measured on a 2-core
 * AMD EPYC: 1,998 float32 matmuls of (97×64)·(64×256) take 87 ms without this and 39 ms with it.
 *
 * Built by LstmNotebooks.csproj when a C compiler is present; see Runtime/MklCpuDispatch.cs. */
int mkl_serv_intel_cpu_true(void) { return 1; }
