// The sandboxed preload: exposes exactly the contract's surface as window.api, nothing of ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridgeApi } from './bridge';

contextBridge.exposeInMainWorld('api', createBridgeApi(ipcRenderer));
