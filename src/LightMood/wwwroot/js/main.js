// LightMood operator page: modules wired together. No external resources, no framework.
"use strict";
import { initSession } from "./session.js";
import { startLive } from "./live.js";
import { initNow } from "./now.js";
import { initDesk } from "./desk.js";
import { initMonitor } from "./monitor.js";
import { initScenes } from "./scenes.js";
import { initAudio } from "./audio.js";

initNow();
initDesk();
initMonitor();
initScenes();
initAudio();
initSession();
startLive();
