// Desktop notifications; silently skipped where the system has none.
import { Notification } from 'electron';
import type { NotifierPort } from '../services/app-ports.js';

export const electronNotifier: NotifierPort = {
  notify({ title, body }) {
    if (!Notification.isSupported()) return;
    new Notification({ title, body, silent: true }).show();
  },
};
