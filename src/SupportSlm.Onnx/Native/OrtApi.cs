using System.Runtime.InteropServices;

namespace SupportSlm.Onnx.Native;

/// <summary>
/// Typed function pointers read from the OrtApi table returned by <c>OrtGetApiBase()->GetApi(30)</c>.
/// The table is an append-only array of pointers, so slot i lives at <c>api + i * sizeof(void*)</c>; the slot numbers
/// below are the zero-based indices listed in docs (protocols.md D.2). All handles are passed as <see cref="nint"/>;
/// every <c>OrtStatus*</c> result goes through <see cref="Check"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    public const uint ApiVersion = 30;

    public readonly delegate* unmanaged<nint, OrtErrorCode> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionLogSeverityLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;
    public readonly delegate* unmanaged<nint, long*, nuint, int, nint*, nint> CreateTensorAsOrtValue;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<nint, int*, nint> GetValueType;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint, nint> RunWithBinding;
    public readonly delegate* unmanaged<nint, nint*, nint> CreateIoBinding;
    public readonly delegate* unmanaged<nint, void> ReleaseIoBinding;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindInput;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindOutput;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindOutputToDevice;
    public readonly delegate* unmanaged<nint, nint, nint**, nuint*, nint> GetBoundOutputValues;
    public readonly delegate* unmanaged<nint, void> ClearBoundInputs;
    public readonly delegate* unmanaged<nint, void> ClearBoundOutputs;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddRunConfigEntry;
    public readonly delegate* unmanaged<byte*> GetBuildInfoString;
    public readonly delegate* unmanaged<byte*, nint, nint*, nint> CreateLoraAdapter;
    public readonly delegate* unmanaged<void*, nuint, nint, nint*, nint> CreateLoraAdapterFromArray;
    public readonly delegate* unmanaged<nint, void> ReleaseLoraAdapter;
    public readonly delegate* unmanaged<nint, nint, nint> RunOptionsAddActiveLoraAdapter;

    public OrtApi(nint api)
    {
        var slots = (void**)api;
        GetErrorCode = (delegate* unmanaged<nint, OrtErrorCode>)slots[1];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)slots[2];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)slots[3];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)slots[7];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)slots[8];
        Run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)slots[9];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)slots[10];
        SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)slots[13];
        SetSessionLogSeverityLevel = (delegate* unmanaged<nint, int, nint>)slots[22];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)slots[23];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)slots[24];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)slots[25];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)slots[30];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)slots[31];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slots[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slots[34];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slots[36];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slots[37];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)slots[39];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)slots[46];
        CreateTensorAsOrtValue = (delegate* unmanaged<nint, long*, nuint, int, nint*, nint>)slots[48];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)slots[49];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)slots[51];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)slots[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)slots[56];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)slots[60];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)slots[61];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)slots[62];
        GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)slots[63];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)slots[65];
        GetValueType = (delegate* unmanaged<nint, int*, nint>)slots[67];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)slots[69];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)slots[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)slots[78];
        ReleaseEnv = (delegate* unmanaged<nint, void>)slots[92];
        ReleaseStatus = (delegate* unmanaged<nint, void>)slots[93];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)slots[94];
        ReleaseSession = (delegate* unmanaged<nint, void>)slots[95];
        ReleaseValue = (delegate* unmanaged<nint, void>)slots[96];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)slots[97];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)slots[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)slots[99];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)slots[100];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)slots[125];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)slots[126];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)slots[130];
        RunWithBinding = (delegate* unmanaged<nint, nint, nint, nint>)slots[133];
        CreateIoBinding = (delegate* unmanaged<nint, nint*, nint>)slots[134];
        ReleaseIoBinding = (delegate* unmanaged<nint, void>)slots[135];
        BindInput = (delegate* unmanaged<nint, byte*, nint, nint>)slots[136];
        BindOutput = (delegate* unmanaged<nint, byte*, nint, nint>)slots[137];
        BindOutputToDevice = (delegate* unmanaged<nint, byte*, nint, nint>)slots[138];
        GetBoundOutputValues = (delegate* unmanaged<nint, nint, nint**, nuint*, nint>)slots[140];
        ClearBoundInputs = (delegate* unmanaged<nint, void>)slots[141];
        ClearBoundOutputs = (delegate* unmanaged<nint, void>)slots[142];
        AddRunConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)slots[165];
        GetBuildInfoString = (delegate* unmanaged<byte*>)slots[254];
        CreateLoraAdapter = (delegate* unmanaged<byte*, nint, nint*, nint>)slots[280];
        CreateLoraAdapterFromArray = (delegate* unmanaged<void*, nuint, nint, nint*, nint>)slots[281];
        ReleaseLoraAdapter = (delegate* unmanaged<nint, void>)slots[282];
        RunOptionsAddActiveLoraAdapter = (delegate* unmanaged<nint, nint, nint>)slots[283];
    }

    /// <summary>Turns a non-NULL <c>OrtStatus*</c> into an <see cref="OnnxRuntimeException"/> (and frees the status).</summary>
    public void Check(nint status)
    {
        if (status != 0)
        {
            throw ToException(status);
        }
    }

    public OnnxRuntimeException ToException(nint status)
    {
        var code = GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        return new OnnxRuntimeException(code, message);
    }
}
