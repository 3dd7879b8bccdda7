import { contextBridge, ipcRenderer } from 'electron';
import { exposeKvmnet } from './expose-kvmnet';

exposeKvmnet(contextBridge, ipcRenderer);
