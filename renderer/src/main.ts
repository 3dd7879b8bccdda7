import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createAppI18n } from './i18n';
import { createAppRouter } from './router';
import { useSettingsStore } from './stores/settings';
import './styles/theme.css';
import './styles/base.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
// the saved language is known before the first render, so the UI never flashes in English
app.use(createAppI18n(useSettingsStore(pinia).language));
app.use(createAppRouter());
app.mount('#app');
