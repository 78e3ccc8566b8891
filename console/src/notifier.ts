/**
 * A short chime (Web Audio: no sound file to load) and, with the user's permission, a browser
 * notification that opens the conversation when clicked.
 */
export function createNotifier(onOpen: (conversationId: string) => void) {
  let audio: AudioContext | undefined;

  function chime() {
    try {
      audio ??= new AudioContext();
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.4);
    } catch {
      // No audio (autoplay policy before any click, or no device): the notification remains.
    }
  }

  return {
    get permission(): NotificationPermission | 'unsupported' {
      return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
    },
    async ask(): Promise<void> {
      if (typeof Notification !== 'undefined') await Notification.requestPermission();
    },
    notify(title: string, body: string, conversationId: string) {
      chime();
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      if (document.visibilityState === 'visible' && document.hasFocus()) return;
      const notification = new Notification(title, { body, tag: conversationId });
      notification.onclick = () => {
        window.focus();
        onOpen(conversationId);
        notification.close();
      };
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
