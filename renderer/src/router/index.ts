import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import OverviewView from '../views/OverviewView.vue';

/** Hash history: the app is loaded from file:// where path-based URLs cannot be resolved. */
export function createAppRouter(): Router {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', name: 'overview', component: OverviewView },
      { path: '/doctor', name: 'doctor', component: () => import('../views/DoctorView.vue') },
      { path: '/settings', name: 'settings', component: () => import('../views/SettingsView.vue') },
      { path: '/networks', name: 'networks', component: () => import('../views/NetworksView.vue') },
      { path: '/networks/new', name: 'new-network', component: () => import('../views/NewNetworkView.vue') },
      { path: '/networks/:name', name: 'network', component: () => import('../views/NetworkDetailView.vue'), props: true },
      { path: '/:unknown(.*)*', redirect: '/' },
    ],
  });
}
