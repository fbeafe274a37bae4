#!/usr/bin/env pwsh
# Runs the build (build/_build.csproj): ./build.ps1 <Target> [--parameters]. ./build.ps1 --help lists every step.
# Rebuilds only when a file under build/ (or global.json, or infra/contract.json, which the build embeds) is newer than the last build.
# Compiles ahead of time (ReadyToRun, for this machine's runtime identifier): a slower first compile, a faster start on every run.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Out = Join-Path $Temp 'build'
$Dll = Join-Path $Out '_build.dll'
$Stamp = Join-Path $Temp 'build.stamp'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
if (-not $env:DOTNET_ROLL_FORWARD) { $env:DOTNET_ROLL_FORWARD = 'Major' }

function Test-NeedsBuild {
    if (-not (Test-Path $Dll) -or -not (Test-Path $Stamp)) { return $true }
    $stampTime = (Get-Item $Stamp).LastWriteTimeUtc
    if ((Get-Item (Join-Path $Root 'global.json')).LastWriteTimeUtc -gt $stampTime) { return $true }
    $contract = Join-Path $Root 'infra/contract.json'
    if ((Test-Path $contract) -and (Get-Item $contract).LastWriteTimeUtc -gt $stampTime) { return $true }
    $newer = Get-ChildItem (Join-Path $Root 'build') -Recurse -File |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $stampTime } |
        Select-Object -First 1
    return $null -ne $newer
}

function Find-Dotnet {
    $wanted = (Get-Content (Join-Path $Root 'global.json') | ConvertFrom-Json).sdk.version
    $channel = $wanted.Substring(0, $wanted.LastIndexOf('.'))
    $dotnet = Get-Command dotnet -ErrorAction SilentlyContinue
    if ($dotnet -and ((& $dotnet.Source --list-sdks) -match "^$([regex]::Escape($channel))")) { return $dotnet.Source }
    $local = Join-Path $Temp 'dotnet/dotnet'
    if ($IsWindows) { $local += '.exe' }
    if (Test-Path $local) { return $local }
    Write-Host "Installing .NET SDK $channel.x (global.json) into .nuke/temp/dotnet ..."
    New-Item -ItemType Directory -Force $Temp | Out-Null
    $script = Join-Path $Temp 'dotnet-install.ps1'
    Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $script
    & $script -Channel $channel -InstallDir (Join-Path $Temp 'dotnet') -NoPath
    return $local
}

if (Test-NeedsBuild) {
    $dotnet = Find-Dotnet
    New-Item -ItemType Directory -Force $Temp | Out-Null
    $started = Get-Date
    if (Test-Path $Dll) { [Console]::Error.WriteLine('Compiling the build (build/ changed) ...') }
    else { [Console]::Error.WriteLine('Compiling the build (first run) ...') }
    & $dotnet publish (Join-Path $Root 'build/_build.csproj') -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o $Out -nologo -v quiet *> (Join-Path $Temp 'build.log')
    if ($LASTEXITCODE -ne 0) {
        Get-Content (Join-Path $Temp 'build.log') | Select-String 'error|warning' | Sort-Object -Unique
        Write-Error 'The build project did not compile; fix the errors above (build/), full log: .nuke/temp/build.log.'
        exit 1
    }
    New-Item -ItemType File -Force $Stamp | Out-Null
    (Get-Item $Stamp).LastWriteTime = $started
}

# A locally installed SDK (no matching system one) also brings the runtime.
$localDotnet = Join-Path $Temp ($IsWindows ? 'dotnet/dotnet.exe' : 'dotnet/dotnet')
if (Test-Path $localDotnet) { & $localDotnet $Dll @args } else { & dotnet $Dll @args }
exit $LASTEXITCODE
